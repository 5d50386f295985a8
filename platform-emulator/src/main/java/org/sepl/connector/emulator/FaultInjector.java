package org.sepl.connector.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The faults armed by a test or the control page ({@link PlatformEmulator.Faults}), and the choice, per request,
 * of the fault to apply. Thread-safe; costs one volatile read per request while nothing is armed.
 */
final class FaultInjector implements PlatformEmulator.Faults {

    /** What to do with one request instead of (or before) handling it. */
    sealed interface Fault permits Fail, Delay, Drop, Close {
    }

    record Fail(int status) implements Fault {
    }

    record Delay(Duration delay) implements Fault {
    }

    record Drop() implements Fault {
    }

    record Close() implements Fault {
    }

    private final Map<String, ArrayDeque<Fault>> byHandler = new LinkedHashMap<>();
    private volatile boolean rejectHandshakes;
    private volatile boolean armed; // some fault was added since the last clear(): the endpoint stops batching

    @Override
    public PlatformEmulator.Faults failNext(String handler, int n, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an error status (400-599), was " + status);
        }
        return add(handler, n, new Fail(status));
    }

    @Override
    public PlatformEmulator.Faults delayNext(String handler, int n, Duration delay) {
        Objects.requireNonNull(delay, "delay must not be null");
        return add(handler, n, new Delay(delay));
    }

    @Override
    public PlatformEmulator.Faults dropNext(String handler, int n) {
        return add(handler, n, new Drop());
    }

    @Override
    public PlatformEmulator.Faults closeOnNext(String handler) {
        return add(handler, 1, new Close());
    }

    @Override
    public PlatformEmulator.Faults rejectHandshakes(boolean reject) {
        rejectHandshakes = reject;
        return this;
    }

    @Override
    public synchronized PlatformEmulator.Faults clear() {
        byHandler.clear();
        rejectHandshakes = false;
        armed = false;
        return this;
    }

    private synchronized PlatformEmulator.Faults add(String handler, int n, Fault fault) {
        Objects.requireNonNull(handler, "handler must not be null");
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        ArrayDeque<Fault> queue = byHandler.computeIfAbsent(handler, h -> new ArrayDeque<>());
        for (int i = 0; i < n; i++) {
            queue.add(fault);
        }
        armed = true;
        return this;
    }

    /** The fault for this request of {@code handler}, consumed; null if none. */
    synchronized Fault next(String handler) {
        if (byHandler.isEmpty()) {
            return null;
        }
        ArrayDeque<Fault> queue = byHandler.get(handler);
        return queue == null ? null : queue.poll();
    }

    boolean armed() {
        return armed;
    }

    /** Pending faults per handler, e.g. {@code "event" -> ["fail 500", "fail 500", "drop"]}, for the control page. */
    synchronized Map<String, List<String>> pending() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        byHandler.forEach((handler, queue) -> {
            if (!queue.isEmpty()) {
                all.put(handler, queue.stream().map(FaultInjector::describe).toList());
            }
        });
        return all;
    }

    private static String describe(Fault f) {
        if (f instanceof Fail fail) {
            return "fail " + fail.status();
        }
        if (f instanceof Delay d) {
            return "delay " + d.delay().toMillis() + " ms";
        }
        return f instanceof Drop ? "drop" : "close";
    }

    boolean rejectingHandshakes() {
        return rejectHandshakes;
    }
}
