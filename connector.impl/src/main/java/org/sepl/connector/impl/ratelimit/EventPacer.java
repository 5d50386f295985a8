package org.sepl.connector.impl.ratelimit;

import java.util.function.LongConsumer;

/**
 * Paces outgoing events by a {@link TokenBucket} (Kura's {@code rate.limit.average}/{@code rate.limit.burst}):
 * an event over the rate is not dropped, it waits; the caller is woken once when the next token is there. Used on
 * one thread (the outbox lane).
 */
public final class EventPacer {

    private final TokenBucket bucket;
    private final LongConsumer wakeAfterNanos;
    private boolean wakeScheduled;

    /**
     * @param bucket         the rate and burst; null: no limit
     * @param wakeAfterNanos schedules the next try after the given nanoseconds (and calls {@link #woken()} then)
     */
    public EventPacer(TokenBucket bucket, LongConsumer wakeAfterNanos) {
        this.bucket = bucket;
        this.wakeAfterNanos = wakeAfterNanos;
    }

    /** @return whether an event may go now (a token is taken); if not, a wake-up is scheduled */
    public boolean mayGoNow() {
        if (bucket == null) {
            return true;
        }
        double available = bucket.available();
        if (available >= 1) {
            bucket.reserve();
            return true;
        }
        if (!wakeScheduled) {
            wakeScheduled = true;
            long waitNanos = (long) Math.ceil((1 - available) / bucket.averagePerSecond() * 1e9);
            wakeAfterNanos.accept(Math.max(waitNanos, 100_000));
        }
        return false;
    }

    /** The scheduled wake-up came. */
    public void woken() {
        wakeScheduled = false;
    }
}
