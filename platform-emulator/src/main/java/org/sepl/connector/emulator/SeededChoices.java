package org.sepl.connector.emulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reproducible random numbers for the share faults: the {@code i}-th draw of a stream (e.g. the answers of
 * {@code event}) is a pure function of the seed, the stream's name and {@code i}, so the same seed makes the same
 * choices for the same sequence of requests, whichever thread asks. SplitMix64 mixes the three.
 */
final class SeededChoices {

    private volatile long seed;
    private final Map<String, AtomicLong> draws = new ConcurrentHashMap<>();

    SeededChoices(long seed) {
        this.seed = seed;
    }

    long seed() {
        return seed;
    }

    /** Uses {@code seed} from now on and starts every stream again from its first draw. */
    synchronized void reseed(long newSeed) {
        seed = newSeed;
        draws.clear();
    }

    /** The next number of {@code stream}, uniform in [0, 1). */
    double next(String stream) {
        long i = draws.computeIfAbsent(stream, s -> new AtomicLong()).getAndIncrement();
        return uniform(seed, stream, i);
    }

    static double uniform(long seed, String stream, long index) {
        long z = mix(mix(seed + 0x9E3779B97F4A7C15L * (stream.hashCode() + 1L)) + 0x9E3779B97F4A7C15L * (index + 1));
        return (z >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
