package org.sepl.connector.impl.logging;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One kind of warning, written at most once per interval: a hostile or broken peer sending thousands of bad frames,
 * or a full disk failing every settlement, produces a few lines, each saying how many similar ones were left out.
 * Measured on the monotonic clock ({@link System#nanoTime}): a wall clock set back or forward changes nothing.
 */
public final class RateLimitedLog {

    private final System.Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(System.Logger log, long intervalMillis) {
        this(log, intervalMillis, System::nanoTime);
    }

    RateLimitedLog(System.Logger log, long intervalMillis, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000;
        this.clock = clock;
        this.nextAllowed = new AtomicLong(clock.getAsLong());
    }

    /** @return true if the line was written, false if it was counted as suppressed */
    public boolean warn(String message) {
        long now = clock.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long left = suppressed.getAndSet(0);
        log.log(System.Logger.Level.WARNING, left == 0 ? message
                : message + " (" + left + (left == 1 ? " similar warning" : " similar warnings") + " not logged)");
        return true;
    }
}
