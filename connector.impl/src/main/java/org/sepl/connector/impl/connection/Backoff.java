package org.sepl.connector.impl.connection;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Reconnect delays: the first retry after a loss comes quickly (a random time up to {@value #QUICK_RETRY_MILLIS}
 * ms, so that a short platform restart costs about a second), then exponential back-off with full jitter: the
 * n-th retry waits a random time in [0, min(max, initial × 2^(n-1))], so that many gateways cut off by one platform
 * restart do not reconnect in lock step.
 */
public final class Backoff {

    /** Ceiling of the first, quick retry. */
    public static final long QUICK_RETRY_MILLIS = 250;

    private final long initialMillis;
    private final long maxMillis;
    private final LongUnaryOperator random;
    private int attempt;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** @param random a uniform draw in [0, bound] */
    Backoff(Duration initial, Duration max, LongUnaryOperator random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** @return the ceiling of the delay before attempt {@code n} (0: the first retry) */
    long ceilingMillis(int n) {
        if (n == 0) {
            return Math.min(QUICK_RETRY_MILLIS, Math.min(initialMillis, maxMillis));
        }
        long grown = initialMillis << Math.min(n - 1, 30);
        return grown < 0 ? maxMillis : Math.min(maxMillis, grown);
    }

    /** @return the delay before the next attempt; each call counts one more failed attempt */
    public synchronized Duration next() {
        long ceiling = ceilingMillis(attempt);
        attempt++;
        return Duration.ofMillis(random.applyAsLong(ceiling));
    }

    /** Called after a successful connection: the next loss starts again with a quick retry. */
    public synchronized void reset() {
        attempt = 0;
    }

    public synchronized int attempts() {
        return attempt;
    }
}
