package org.sepl.connector.impl;

/** Names of PROTOCOL.md. */
final class Protocol {
    static final String CREDENTIALS_TOKEN = "credentials";
    static final String CLEAR = "clear";
    static final String PUT = "put";
    static final String DISCONNECT = "disconnect";
    static final String DELETE = "delete";
    static final String COMMIT = "commit";
    static final String EVENT = "event";
    static final String RESPONSE = "response";
    static final String COMMAND = "command";

    private Protocol() {
    }
}
