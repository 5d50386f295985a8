package org.sepl.connector.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * A wall clock a test moves, as NTP or an operator sets a gateway's (or a platform's) clock: from a fixed instant, or
 * from the system's clock, plus what the test {@link #advance advanced} it by so far. UTC; thread-safe.
 */
public final class MovableClock extends Clock {

    private final Supplier<Instant> base;
    private volatile Duration moved = Duration.ZERO;

    private MovableClock(Supplier<Instant> base) {
        this.base = base;
    }

    /** @return a clock that stands at {@code instant} until advanced */
    public static MovableClock at(Instant instant) {
        return new MovableClock(() -> instant);
    }

    /** @return a clock that runs with the system's, until advanced or set back off it */
    public static MovableClock system() {
        return new MovableClock(Instant::now);
    }

    /** Moves the clock on by {@code by}; a negative duration sets it back. */
    public void advance(Duration by) {
        synchronized (this) {
            moved = moved.plus(by);
        }
    }

    @Override
    public Instant instant() {
        return base.get().plus(moved);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // the client reads instants only
    }
}
