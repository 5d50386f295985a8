package org.sepl.connector.impl.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void firstRetryIsQuickThenDelaysGrowExponentiallyWithinTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(60), bound -> bound);
        assertEquals(250, backoff.next().toMillis(), "the first retry comes within 250 ms");
        assertEquals(1000, backoff.next().toMillis());
        assertEquals(2000, backoff.next().toMillis());
        assertEquals(4000, backoff.next().toMillis());
        for (int i = 0; i < 100; i++) {
            assertTrue(backoff.next().toMillis() <= 60_000);
        }
        assertEquals(60_000, backoff.next().toMillis(), "capped, no overflow after many attempts");
        backoff.reset();
        assertEquals(250, backoff.next().toMillis(), "after a success the next loss starts quick again");
    }

    @Test
    void fullJitterDrawsOverTheWholeRange() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        long maxSeen = 0;
        long minSeen = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 200; attempt++) {
            long ceiling = backoff.ceilingMillis(attempt);
            long d = backoff.next().toMillis();
            assertTrue(d >= 0 && d <= ceiling, "attempt " + attempt + ": " + d + " > " + ceiling);
            if (attempt > 10) {
                maxSeen = Math.max(maxSeen, d);
                minSeen = Math.min(minSeen, d);
            }
        }
        assertTrue(maxSeen > 2500 && minSeen < 2500, "full jitter spreads over [0, cap]: " + minSeen + ".." + maxSeen);
    }

    @Test
    void aShortInitialDelayIsNotLengthenedByTheQuickRetry() {
        Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), bound -> bound);
        assertEquals(20, backoff.next().toMillis());
        assertEquals(20, backoff.next().toMillis());
        assertEquals(40, backoff.next().toMillis());
    }
}
