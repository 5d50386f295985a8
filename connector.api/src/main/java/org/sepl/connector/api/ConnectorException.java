package org.sepl.connector.api;

import java.util.Objects;

/**
 * A request that did not get an answer from the platform. Why is in {@link #reason()}.
 * <p>
 * An answer with an error status (400, 500) is not an exception: it is a {@link Response} whose
 * {@link Response#isSuccess()} is {@code false}. Asynchronous calls complete exceptionally with this exception
 * (possibly wrapped in a {@link java.util.concurrent.CompletionException}).
 */
public class ConnectorException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a request got no answer. */
    public enum Reason {
        /** The client was not connected and synchronised; nothing was sent. */
        NOT_CONNECTED,
        /** Sent, but no answer came within the timeout; the platform may or may not have applied it. */
        TIMEOUT,
        /** The connection was lost after the request was sent; the platform may or may not have applied it. */
        CONNECTION_LOST,
        /** The client has been closed. */
        CLOSED,
        /** The calling thread was interrupted while waiting; its interrupt flag is set again. */
        INTERRUPTED,
        /**
         * Not sent: the client's window of requests in flight was full. Nothing reached the platform; retry later or
         * raise {@code maxRequestsInFlight}. (Since 1.1.)
         */
        WINDOW_FULL,
        /**
         * Not stored and never sent: the client's outbox refused the message, and the cause is an
         * {@link org.sepl.connector.api.outbox.OutboxRefusedException} giving the
         * {@link org.sepl.connector.api.outbox.RefusalReason}; or the client did not hand it to an outbox, and the
         * message says why (no outbox; as many messages as the outbox holds waiting to be stored; the callback lane
         * far behind), see {@link DeliveryLedger.Refusal}. (Since 1.2.)
         */
        REFUSED,
        /** Stored, then dropped by the outbox to make room for newer messages; never delivered. (Since 1.2.) */
        DROPPED,
        /** Stored, then removed by the outbox for being older than its maximum age; never delivered. (Since 1.2.) */
        EXPIRED
    }

    private final Reason reason;

    public ConnectorException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    public ConnectorException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    /** @return why the request got no answer */
    public Reason reason() {
        return reason;
    }
}
