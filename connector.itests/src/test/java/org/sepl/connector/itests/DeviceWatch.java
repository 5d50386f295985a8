package org.sepl.connector.itests;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Watches the platform's device list of a gateway while a test runs; keeps every list that lacked the device. */
final class DeviceWatch {

    final List<Set<String>> lacking = new CopyOnWriteArrayList<>();
    // a flag, not an interrupt: an interrupt would break the HTTP request under way
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    DeviceWatch(PlatformControl platform, String gatewayId, String device) {
        thread = new Thread(() -> {
            while (running.get()) {
                Set<String> now = new HashSet<>(platform.devicesOf(gatewayId));
                if (!now.contains(device)) {
                    lacking.add(now);
                }
                try {
                    Thread.sleep(5); // the pace of the watch
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "itest-device-watch");
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
