package org.sepl.connector.launcher;

/** The gateway cannot start (exit status 1); the message is the one line the user sees. */
final class GatewayStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    GatewayStartException(String message) {
        super(message);
    }

    GatewayStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
