package org.sepl.connector.api.outbox;

/** Why an {@link Outbox} did not store a message ({@link OutboxRefusedException#reason()}). */
public enum RefusalReason {
    /** The outbox is at a limit and its policy is {@link FullPolicy#REFUSE_NEW}. */
    FULL,
    /** The message alone is larger than {@link OutboxLimits#maxBytes()}: it could never be stored. */
    TOO_LARGE,
    /** The outbox was closed. */
    CLOSED,
    /** The store could not write it (an I/O error, a damaged file); nothing was stored. */
    STORE_FAILED,
    /**
     * The store's disk (file system) has no room left for it; nothing was stored. What the outbox already holds is
     * kept, and appends succeed again once there is room, without a restart.
     */
    DISK_FULL
}
