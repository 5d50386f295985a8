package org.sepl.connector.impl.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.sepl.connector.testkit.MovableClock;

/** A wall clock and a monotonic clock a test moves: together (time passing), or the wall clock alone (set). */
final class TestClocks {

    /** The gateway's wall clock. */
    private final MovableClock wall;
    /** The monotonic clock, in nanoseconds (any origin). */
    volatile long monoNanos = 123_456_789_000L;

    TestClocks(Instant wall) {
        this.wall = MovableClock.at(wall);
    }

    /** Time passes: both clocks move. */
    void pass(Duration d) {
        wall.advance(d);
        monoNanos += d.toNanos();
    }

    /** The wall clock is set (NTP, an operator): the monotonic one does not move. */
    void setWall(Duration by) {
        wall.advance(by);
    }

    long nanoTime() {
        return monoNanos;
    }

    Clock wall() {
        return wall;
    }
}
