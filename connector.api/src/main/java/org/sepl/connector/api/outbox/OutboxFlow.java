package org.sepl.connector.api.outbox;

import java.time.Duration;

/**
 * How fast a client's outbox fills and empties, averaged over about the last minute (exponentially weighted, by a
 * monotonic clock), and, while it fills, when it will be full at that pace: for monitoring, to act before a message
 * is dropped or refused rather than after.
 *
 * @param ingestPerSecond messages stored per second
 * @param drainPerSecond  messages settled by the platform's answer (delivered or rejected) per second
 * @param timeUntilFull   at the current growth of its depth and bytes, when the outbox reaches
 *                        {@link OutboxLimits#maxMessages()} or {@link OutboxLimits#maxBytes()}; {@link Duration#ZERO}
 *                        when it is full; null when it is not filling
 * @since 1.1
 */
public record OutboxFlow(double ingestPerSecond, double drainPerSecond, Duration timeUntilFull) {

    /** A flow with nothing moving (before the first measurement). */
    public static final OutboxFlow IDLE = new OutboxFlow(0, 0, null);

    /** @return whether the outbox is filling: its depth or bytes grow */
    public boolean filling() {
        return timeUntilFull != null;
    }
}
