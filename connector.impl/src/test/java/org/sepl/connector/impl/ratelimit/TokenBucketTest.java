package org.sepl.connector.impl.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aFullBucketLetsABurstGoAtOnceThenSpacesMessagesAtTheAverage() {
        TokenBucket bucket = new TokenBucket(100, 10, now::get); // 100/s: one every 10 ms
        for (int i = 0; i < 10; i++) {
            assertEquals(0, bucket.reserve(), "burst message " + i);
        }
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10), bucket.reserve(), "the 11th waits one interval");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(20), bucket.reserve(), "the 12th waits behind it: delayed, not dropped");
    }

    @Test
    void overALongRunTheRateIsTheAverageWhateverTheBurst() {
        TokenBucket bucket = new TokenBucket(50, 20, now::get);
        // a caller that sends as soon as it is allowed, for 10 simulated seconds
        long sent = 0;
        long end = now.get() + TimeUnit.SECONDS.toNanos(10);
        while (now.get() < end) {
            long wait = bucket.reserve();
            now.addAndGet(wait);
            sent++;
        }
        assertTrue(sent >= 50 * 10 + 20 - 1 && sent <= 50 * 10 + 20 + 1, "sent " + sent);
    }

    @Test
    void aQuietTimeRefillsUpToTheBurstOnly() {
        TokenBucket bucket = new TokenBucket(10, 5, now::get);
        for (int i = 0; i < 5; i++) {
            bucket.reserve();
        }
        advanceMillis(200); // 2 tokens back
        assertEquals(2.0, bucket.available(), 1e-9);
        advanceMillis(60_000); // long quiet: capped at the burst
        assertEquals(5.0, bucket.available(), 1e-9);
    }

    @Test
    void waitsShrinkAsTimePasses() {
        TokenBucket bucket = new TokenBucket(1, 1, now::get);
        assertEquals(0, bucket.reserve());
        advanceMillis(400);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(600), bucket.reserve());
        advanceMillis(1600); // the debt is paid and one token is back
        assertEquals(0, bucket.reserve());
    }

    @Test
    void acquireBlocksForTheDelayOnARealClock() throws Exception {
        TokenBucket bucket = new TokenBucket(20, 1); // 50 ms per message
        bucket.acquire(1);
        long start = System.nanoTime();
        bucket.acquire(2);
        long waited = System.nanoTime() - start;
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(95), "waited " + waited + " ns");
    }

    @Test
    void badSettingsAreRefusedNamingTheProperty() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1)).getMessage()
                .contains("rate.limit.average must be a positive number of messages per second, got 0.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenBucket(Double.NaN, 1)).getMessage()
                .contains("rate.limit.average"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenBucket(10, 0)).getMessage()
                .contains("rate.limit.burst must be at least 1 message, got 0"));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(10, 1).reserve(0));
    }
}
