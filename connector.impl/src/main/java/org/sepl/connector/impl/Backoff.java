package org.sepl.connector.impl;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: the n-th retry waits a random time in [0, min(max, initial * 2^n)],
 * so that many gateways cut off by one platform restart do not reconnect in lock step.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private int attempt;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** @return the delay before the next attempt; each call counts one more failed attempt */
    synchronized Duration next() {
        long grown = initialMillis << Math.min(attempt, 30);
        long ceiling = grown < 0 ? maxMillis : Math.min(maxMillis, grown);
        attempt++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** Called after a successful connection: the next failure starts again from the initial delay. */
    synchronized void reset() {
        attempt = 0;
    }

    synchronized int attempts() {
        return attempt;
    }
}
