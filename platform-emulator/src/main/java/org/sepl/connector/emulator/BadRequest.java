package org.sepl.connector.emulator;

/** A request whose payload is wrong: answered 400 with this message. Thrown on the hot path, so without a stack. */
final class BadRequest extends Exception {

    BadRequest(String message) {
        super(message, null, false, false);
    }
}
