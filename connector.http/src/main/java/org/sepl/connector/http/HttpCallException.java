package org.sepl.connector.http;

import java.io.IOException;

/**
 * An HTTP call got no response at all, after every attempt: the connection was refused or reset, the host is
 * unknown, or the server did not answer within the timeout. (A response with an error status is not an
 * exception: it is an {@link HttpResult}.) The message names the method, the URL (without any user info), the
 * number of attempts and the last failure; {@link #getCause()} is that failure.
 */
public final class HttpCallException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    HttpCallException(String message, int attempts, Throwable lastFailure) {
        super(message, lastFailure);
        this.attempts = attempts;
    }

    /** @return how many attempts were made */
    public int attempts() {
        return attempts;
    }
}
