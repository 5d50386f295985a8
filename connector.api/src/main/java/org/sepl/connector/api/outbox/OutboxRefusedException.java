package org.sepl.connector.api.outbox;

import java.util.Objects;

/**
 * A message was not stored, and so will never be sent by the outbox: the reason, and a message for humans that
 * names the outbox and the limit or error.
 */
public class OutboxRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;

    public OutboxRefusedException(RefusalReason reason, String message) {
        this(reason, message, null);
    }

    public OutboxRefusedException(RefusalReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    /** @return why the message was refused */
    public RefusalReason reason() {
        return reason;
    }
}
