package org.sepl.connector.impl.ratelimit;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket for outgoing messages: on average at most {@code averagePerSecond}, with bursts of up to
 * {@code burst} at once after a quiet time. It <b>delays, never drops</b>: a caller over the rate is told how long
 * to wait ({@link #reserve}), and callers are served in the order they reserved (the bucket may go into debt, which
 * later callers wait for). Eclipse Kura's {@code rate.limit.average} / {@code rate.limit.burst} are the model.
 * <p>
 * The bucket starts full. Thread-safe. Time comes from a nanosecond source ({@link System#nanoTime} by default),
 * so tests can drive it.
 */
public final class TokenBucket {

    /** Configuration property of the average rate, in messages per second (Kura's name). */
    public static final String AVERAGE_PROPERTY = "rate.limit.average";
    /** Configuration property of the burst size, in messages (Kura's name). */
    public static final String BURST_PROPERTY = "rate.limit.burst";

    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double averagePerSecond;
    private final int burst;
    private final LongSupplier nanoTime;

    // guarded by this
    private double tokens;
    private long lastRefillNanos;

    /**
     * @param averagePerSecond the sustained rate, &gt; 0
     * @param burst            how many may go at once after a quiet time, at least 1
     * @throws IllegalArgumentException naming the property, the bad value and what is allowed
     */
    public TokenBucket(double averagePerSecond, int burst) {
        this(averagePerSecond, burst, System::nanoTime);
    }

    /** As {@link #TokenBucket(double, int)}, reading time from {@code nanoTime}. */
    public TokenBucket(double averagePerSecond, int burst, LongSupplier nanoTime) {
        if (!(averagePerSecond > 0) || Double.isInfinite(averagePerSecond)) {
            throw new IllegalArgumentException(AVERAGE_PROPERTY + " must be a positive number of messages per second, got "
                    + averagePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException(BURST_PROPERTY + " must be at least 1 message, got " + burst);
        }
        this.averagePerSecond = averagePerSecond;
        this.burst = burst;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime must not be null");
        this.tokens = burst;
        this.lastRefillNanos = nanoTime.getAsLong();
    }

    /**
     * Takes {@code permits} tokens, going into debt if there are not enough: the caller sends after the returned
     * delay. Never refuses.
     *
     * @param permits at least 1 (a message each)
     * @return nanoseconds to wait before sending; 0 to send now
     * @throws IllegalArgumentException if {@code permits < 1}
     */
    public synchronized long reserve(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
        refill();
        tokens -= permits;
        if (tokens >= 0) {
            return 0;
        }
        return (long) Math.ceil(-tokens / averagePerSecond * NANOS_PER_SECOND);
    }

    /** {@link #reserve(int) reserve(1)}. */
    public long reserve() {
        return reserve(1);
    }

    /**
     * Blocks the calling thread until it may send {@code permits} messages. Not for an I/O thread: that one should
     * {@link #reserve} and schedule the send after the delay.
     *
     * @throws InterruptedException if interrupted while waiting (the permits stay taken)
     */
    public void acquire(int permits) throws InterruptedException {
        long waitNanos = reserve(permits);
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos); // the wait is the point: a rate limit delays
        }
    }

    /** Tokens available now (negative: the debt of callers already told to wait). */
    public synchronized double available() {
        refill();
        return tokens;
    }

    public double averagePerSecond() {
        return averagePerSecond;
    }

    public int burst() {
        return burst;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        long elapsed = now - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * averagePerSecond / NANOS_PER_SECOND);
            lastRefillNanos = now;
        }
    }

    @Override
    public String toString() {
        return "TokenBucket[" + AVERAGE_PROPERTY + "=" + averagePerSecond + "/s, " + BURST_PROPERTY + "=" + burst + "]";
    }
}
