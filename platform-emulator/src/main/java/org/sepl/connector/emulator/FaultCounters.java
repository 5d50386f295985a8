package org.sepl.connector.emulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many faults of each kind were injected since start (or the last reset). Thread-safe. */
final class FaultCounters {

    private final Map<FaultKind, LongAdder> counts = new EnumMap<>(FaultKind.class);

    FaultCounters() {
        for (FaultKind kind : FaultKind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    void add(FaultKind kind) {
        counts.get(kind).increment();
    }

    /** Every kind, zeros included, in declaration order. */
    Map<FaultKind, Long> snapshot() {
        Map<FaultKind, Long> all = new EnumMap<>(FaultKind.class);
        counts.forEach((kind, n) -> all.put(kind, n.sum()));
        return Collections.unmodifiableMap(all);
    }

    void reset() {
        counts.values().forEach(LongAdder::reset);
    }
}
