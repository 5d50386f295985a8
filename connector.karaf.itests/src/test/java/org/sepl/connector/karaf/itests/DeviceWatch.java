package org.sepl.connector.karaf.itests;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.sepl.connector.emulator.PlatformEmulator;

/**
 * Watches a gateway's device list on the platform while something happens, and remembers every moment it lacked
 * one of the devices it must keep: "the devices never vanish" is checked continuously, not only at the end.
 */
final class DeviceWatch implements AutoCloseable {

    private final PlatformEmulator platform;
    private final String gatewayId;
    private final Set<String> mustKeep;
    private final List<Set<String>> violations = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private DeviceWatch(PlatformEmulator platform, String gatewayId, Set<String> mustKeep) {
        this.platform = platform;
        this.gatewayId = gatewayId;
        this.mustKeep = Set.copyOf(mustKeep);
        this.thread = new Thread(this::watch, "device-watch " + gatewayId);
        this.thread.setDaemon(true);
    }

    /** Starts watching gateway {@code gatewayId} for the devices {@code mustKeep}. */
    static DeviceWatch start(PlatformEmulator platform, String gatewayId, Set<String> mustKeep) {
        DeviceWatch watch = new DeviceWatch(platform, gatewayId, mustKeep);
        watch.thread.start();
        return watch;
    }

    /** The device ids the platform holds for {@code gatewayId} now (empty if it does not know the gateway). */
    static Set<String> devicesOf(PlatformEmulator platform, String gatewayId) {
        return platform.gateway(gatewayId).map(g -> g.devices().stream().map(PlatformEmulator.Device::uri)
                .collect(Collectors.toCollection(TreeSet::new))).orElseGet(TreeSet::new);
    }

    private void watch() {
        while (running) {
            Set<String> now = devicesOf(platform, gatewayId);
            if (!now.containsAll(mustKeep)) {
                if (violations.isEmpty() || !violations.get(violations.size() - 1).equals(now)) {
                    violations.add(now);
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops watching; returns each distinct device list seen that lacked a device (empty: none vanished). */
    List<Set<String>> stop() throws InterruptedException {
        running = false;
        thread.join();
        return List.copyOf(violations);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
