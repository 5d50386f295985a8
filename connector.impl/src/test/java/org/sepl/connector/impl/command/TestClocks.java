package org.sepl.connector.impl.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock and a monotonic clock a test moves: together (time passing), or the wall clock alone (set). */
final class TestClocks {

    /** The gateway's wall clock, in milliseconds since the epoch. */
    volatile long wallMillis;
    /** The monotonic clock, in nanoseconds (any origin). */
    volatile long monoNanos = 123_456_789_000L;

    TestClocks(Instant wall) {
        this.wallMillis = wall.toEpochMilli();
    }

    /** Time passes: both clocks move. */
    void pass(Duration d) {
        wallMillis += d.toMillis();
        monoNanos += d.toNanos();
    }

    /** The wall clock is set (NTP, an operator): the monotonic one does not move. */
    void setWall(Duration by) {
        wallMillis += by.toMillis();
    }

    long nanoTime() {
        return monoNanos;
    }

    Clock wall() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(wallMillis);
            }
        };
    }
}
