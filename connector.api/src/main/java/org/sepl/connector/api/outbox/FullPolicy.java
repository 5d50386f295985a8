package org.sepl.connector.api.outbox;

/** What an {@link Outbox} does with a new message when it is at one of its {@link OutboxLimits}. */
public enum FullPolicy {
    /**
     * Store the new message and drop the oldest pending ones until it fits; each dropped message is counted,
     * logged (rate-limited) and reported to the {@link OutboxListener}s with {@link OutboxListener.Reason#DROPPED}.
     * For gateways whose newest data matters most.
     */
    DROP_OLDEST,
    /**
     * Refuse the new message: its {@code append} fails with {@link RefusalReason#FULL} (the caller is told, and
     * may keep it or retry); nothing stored is dropped.
     */
    REFUSE_NEW
}
