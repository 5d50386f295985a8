package org.sepl.connector.impl.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.RoundTrips;

class RoundTripTimesTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RoundTripTimes times = new RoundTripTimes(now::get);

    @Test
    void percentilesAreWithinAnEighthAndNeverBelowTheTruth() {
        for (int ms = 1; ms <= 100; ms++) {
            times.record(ms * 1_000_000L, now.get());
        }
        RoundTrips r = times.snapshot();
        assertEquals(100, r.count());
        assertEquals(100, r.recentCount());
        assertEquals(Duration.ofMillis(5050), r.total());
        assertWithinAnEighth(Duration.ofMillis(50), r.p50());
        assertWithinAnEighth(Duration.ofMillis(90), r.p90());
        assertWithinAnEighth(Duration.ofMillis(99), r.p99());
        assertEquals(Duration.ofMillis(100), r.max());
    }

    @Test
    void thePercentilesForgetWhatIsOlderThanTwoSlotsButTheCountDoesNot() {
        times.record(Duration.ofSeconds(3).toNanos(), now.get());
        now.addAndGet(RoundTripTimes.SLOT.toNanos() + 1);
        times.record(Duration.ofMillis(2).toNanos(), now.get());
        RoundTrips both = times.snapshot();
        assertEquals(2, both.recentCount(), "the previous slot still counts");
        assertEquals(Duration.ofSeconds(3), both.max());

        now.addAndGet(RoundTripTimes.SLOT.toNanos() + 1);
        times.record(Duration.ofMillis(1).toNanos(), now.get());
        RoundTrips later = times.snapshot();
        assertEquals(2, later.recentCount(), "the slow one's slot was reused");
        assertEquals(Duration.ofMillis(2), later.max());
        assertEquals(3, later.count());

        now.addAndGet(3 * RoundTripTimes.SLOT.toNanos());
        RoundTrips quiet = times.snapshot();
        assertEquals(0, quiet.recentCount());
        assertNull(quiet.p50());
        assertEquals(3, quiet.count());
    }

    @Test
    void everyValueFallsIntoABucketThatHoldsIt() {
        for (long v : new long[] { 0, 1, 7, 8, 9, 15, 16, 17, 1000, 123_456_789, Long.MAX_VALUE / 3, Long.MAX_VALUE }) {
            int b = RoundTripTimes.bucket(v);
            assertTrue(RoundTripTimes.highestIn(b) >= v, v + " above its bucket's top");
            assertTrue(b == 0 || RoundTripTimes.highestIn(b - 1) < v, v + " fits an earlier bucket");
        }
    }

    private static void assertWithinAnEighth(Duration expected, Duration actual) {
        assertTrue(actual.compareTo(expected) >= 0 && actual.toNanos() <= expected.toNanos() * 9 / 8,
                "expected " + expected + " (+1/8), was " + actual);
    }
}
