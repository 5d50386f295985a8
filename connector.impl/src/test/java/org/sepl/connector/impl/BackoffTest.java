package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysGrowExponentiallyWithinTheCapAndResetAfterSuccess() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        long maxSeen = 0;
        for (int attempt = 0; attempt < 200; attempt++) {
            long ceiling = Math.min(5000, 100L << Math.min(attempt, 30));
            long d = backoff.next().toMillis();
            assertTrue(d >= 0 && d <= ceiling, "attempt " + attempt + ": " + d + " > " + ceiling);
            maxSeen = Math.max(maxSeen, d);
        }
        assertTrue(maxSeen > 2500, "full jitter over 200 draws should come near the cap, max was " + maxSeen);
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 100);
    }
}
