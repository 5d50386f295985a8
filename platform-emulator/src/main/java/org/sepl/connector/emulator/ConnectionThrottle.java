package org.sepl.connector.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Connection attempts admitted per key (user or client address) in a sliding window, as the real platform limits
 * them: at most {@code max} admitted attempts in any {@code window}; an attempt beyond is refused and not counted,
 * so a client that backs off gets in again once its oldest admitted attempt left the window. Thread-safe.
 */
final class ConnectionThrottle {

    /** The default limit, the real platform's: 10 attempts per 30 s. */
    static final int DEFAULT_MAX = 10;
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
    /** Keys kept before the idle ones are pruned, to bound the memory a flood of addresses or users can take. */
    private static final int PRUNE_ABOVE = 10_000;

    record Limit(int max, Duration window) {
    }

    private final Map<ThrottleKey, Limit> limits = new EnumMap<>(ThrottleKey.class);
    private final Map<ThrottleKey, Map<String, ArrayDeque<Long>>> admitted = new EnumMap<>(ThrottleKey.class);

    synchronized void limit(ThrottleKey key, int max, Duration window) {
        limits.put(key, new Limit(max, window));
        admitted.put(key, new HashMap<>());
    }

    synchronized Map<ThrottleKey, Limit> limits() {
        return Map.copyOf(limits);
    }

    synchronized boolean active() {
        return !limits.isEmpty();
    }

    synchronized void clear() {
        limits.clear();
        admitted.clear();
    }

    /** Whether an attempt of {@code value} (a user or an address; null: not limited) is admitted now; counts it if so. */
    synchronized boolean admit(ThrottleKey key, String value, long nowNanos) {
        Limit limit = limits.get(key);
        if (limit == null || value == null) {
            return true;
        }
        Map<String, ArrayDeque<Long>> byValue = admitted.get(key);
        long windowNanos = limit.window().toNanos();
        if (byValue.size() > PRUNE_ABOVE) {
            byValue.values().removeIf(times -> nowNanos - times.peekLast() >= windowNanos);
        }
        ArrayDeque<Long> times = byValue.computeIfAbsent(value, v -> new ArrayDeque<>());
        while (!times.isEmpty() && nowNanos - times.peekFirst() >= windowNanos) {
            times.pollFirst();
        }
        if (times.size() >= limit.max()) {
            return false;
        }
        times.addLast(nowNanos);
        return true;
    }
}
