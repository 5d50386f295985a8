package org.sepl.connector.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per task id, how often the command was delivered and how many responses came back
 * ({@link PlatformEmulator#commandLedger()}), for the check "every command answered exactly once". Keeps the most
 * recent {@code max} task ids. Guarded by this object's lock.
 */
final class CommandLedger {

    private static final class Tally {
        final String deviceUri;
        int deliveries;
        int responses;

        Tally(String deviceUri) {
            this.deviceUri = deviceUri;
        }
    }

    private final int max;
    private final LinkedHashMap<String, Tally> tallies = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tally> eldest) {
            return size() > max;
        }
    };

    CommandLedger(int max) {
        this.max = max;
    }

    /** A command for the device is about to go out with this task id. */
    synchronized void prepared(String taskId, String deviceUri) {
        if (max > 0) {
            tallies.put(taskId, new Tally(deviceUri));
        }
    }

    /** One frame of the command was written to a connection. */
    synchronized void delivered(String taskId) {
        Tally t = tallies.get(taskId);
        if (t != null) {
            t.deliveries++;
        }
    }

    synchronized void answered(String taskId) {
        if (max > 0) {
            tallies.computeIfAbsent(taskId, t -> new Tally(null)).responses++;
        }
    }

    /** Task ids in the order the platform first saw them. */
    synchronized Map<String, CommandTally> snapshot() {
        Map<String, CommandTally> all = new LinkedHashMap<>();
        tallies.forEach((taskId, t) -> all.put(taskId, new CommandTally(taskId, t.deviceUri, t.deliveries, t.responses)));
        return Collections.unmodifiableMap(all);
    }

    synchronized void reset() {
        tallies.clear();
    }
}
