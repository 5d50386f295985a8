package org.sepl.connector.itests;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by polling it; fails with a message naming the condition and its last value. */
final class Poll {

    private static final long INTERVAL_MILLIS = 20;

    private Poll() {
    }

    /**
     * Polls {@code value} until {@code done} accepts it.
     *
     * @return the accepted value
     * @throws AssertionError if the timeout passes first (message: {@code what} and the last value seen)
     */
    static <T> T until(String what, Duration timeout, Supplier<T> value, java.util.function.Predicate<? super T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "; last seen: " + last);
            }
            Thread.sleep(INTERVAL_MILLIS);
            last = value.get();
        }
        return last;
    }

    /** Polls until {@code condition} is true. */
    static void until(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        until(what, timeout, condition, Boolean.TRUE::equals);
    }
}
