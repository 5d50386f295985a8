package org.sepl.connector.api.outbox;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told when an {@link Outbox} removes a stored message that was not delivered, so that whoever waits for its
 * delivery (the client's caller) learns it will never be sent. Called after the removal is stored and before the
 * call that caused it (the append that made room, the read that found it expired) completes; on a thread of the
 * outbox: return quickly and do not call back into the outbox's blocking methods.
 */
@ConsumerType
@FunctionalInterface
public interface OutboxListener {

    /** Why a stored message was removed without being delivered. */
    enum Reason {
        /** Dropped to make room for a newer message ({@link FullPolicy#DROP_OLDEST}). */
        DROPPED,
        /** Older than {@link OutboxLimits#maxAge()}. */
        EXPIRED
    }

    /** A stored message was removed without being delivered. */
    void removed(OutboxEntry entry, Reason reason);
}
