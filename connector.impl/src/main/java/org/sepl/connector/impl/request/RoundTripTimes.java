package org.sepl.connector.impl.request;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.sepl.connector.api.RoundTrips;

/**
 * The round trips of answered requests, for {@link RoundTrips}: a count and total since the start, and percentiles
 * over about the last minute. Recording is a few atomic increments on the thread that read the answer, no lock and
 * no allocation: a histogram of log-linear buckets (8 per power of two, so a value is known to within an eighth)
 * in two slots of {@link #SLOT} each, the older one cleared and reused when the newer one is a slot old. The
 * percentiles cover the slots that began within the last two slot lengths; a value recorded while its slot is being
 * cleared may be lost, which a monitoring figure can afford.
 */
final class RoundTripTimes {

    /** How long one slot collects; the percentiles cover one to two of them. */
    static final Duration SLOT = Duration.ofSeconds(30);
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    /** Enough buckets for any positive long. */
    private static final int BUCKETS = (64 - SUB_BITS + 1) * SUB;

    private final LongSupplier nanoClock;
    private final long slotNanos;
    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final Slot[] slots = { new Slot(), new Slot() };
    private volatile int current;

    /** One slot's histogram. */
    private static final class Slot {
        final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
        final AtomicLong max = new AtomicLong();
        volatile long start;
    }

    RoundTripTimes(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.slotNanos = SLOT.toNanos();
        long now = nanoClock.getAsLong();
        slots[0].start = now;
        slots[1].start = now - 2 * slotNanos; // stale: empty anyway
    }

    /** Records one round trip that ended at {@code nowNanos} (of the same clock). */
    void record(long nanos, long nowNanos) {
        long value = Math.max(0, nanos);
        count.increment();
        totalNanos.add(value);
        Slot slot = slotFor(nowNanos);
        slot.buckets.incrementAndGet(bucket(value));
        long max = slot.max.get();
        while (value > max && !slot.max.compareAndSet(max, value)) { // a write only for a new maximum
            max = slot.max.get();
        }
    }

    /** @return the slot collecting at {@code now}, after moving on to the other one if this one is a slot old */
    private Slot slotFor(long now) {
        Slot slot = slots[current];
        if (now - slot.start < slotNanos) {
            return slot;
        }
        synchronized (this) {
            slot = slots[current];
            if (now - slot.start >= slotNanos) {
                int next = 1 - current;
                Slot fresh = slots[next];
                for (int i = 0; i < BUCKETS; i++) {
                    fresh.buckets.set(i, 0);
                }
                fresh.max.set(0);
                fresh.start = now;
                current = next;
                slot = fresh;
            }
            return slot;
        }
    }

    RoundTrips snapshot() {
        long now = nanoClock.getAsLong();
        long[] merged = new long[BUCKETS];
        long recent = 0;
        long max = 0;
        for (Slot slot : slots) {
            if (now - slot.start >= 2 * slotNanos) {
                continue; // older than the window
            }
            for (int i = 0; i < BUCKETS; i++) {
                long n = slot.buckets.get(i);
                merged[i] += n;
                recent += n;
            }
            max = Math.max(max, slot.max.get());
        }
        Duration total = Duration.ofNanos(totalNanos.sum());
        if (recent == 0) {
            return new RoundTrips(count.sum(), total, 0, null, null, null, null);
        }
        return new RoundTrips(count.sum(), total, recent, percentile(merged, recent, 0.50, max),
                percentile(merged, recent, 0.90, max), percentile(merged, recent, 0.99, max), Duration.ofNanos(max));
    }

    /** @return the least bucket value that at least {@code q} of the values do not exceed, capped at the maximum */
    private static Duration percentile(long[] buckets, long total, double q, long max) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return Duration.ofNanos(Math.min(highestIn(i), max));
            }
        }
        return Duration.ofNanos(max);
    }

    /** Values below {@link #SUB} have a bucket each; above, each power of two has {@link #SUB} buckets. */
    static int bucket(long value) {
        if (value < SUB) {
            return (int) value;
        }
        int msb = 63 - Long.numberOfLeadingZeros(value);
        int shift = msb - SUB_BITS;
        int sub = (int) ((value >>> shift) & (SUB - 1));
        return (shift + 1) * SUB + sub;
    }

    /** @return the largest value that falls into {@code bucket} */
    static long highestIn(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int shift = bucket / SUB - 1;
        long lowest = (long) (SUB + bucket % SUB) << shift;
        long width = 1L << shift;
        long highest = lowest + width - 1;
        return highest < 0 ? Long.MAX_VALUE : highest;
    }
}
