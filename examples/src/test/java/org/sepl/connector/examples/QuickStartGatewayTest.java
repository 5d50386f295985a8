package org.sepl.connector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.Device;
import org.sepl.connector.emulator.PlatformEmulator;

/** Runs the quick-start gateway, as a user would, against the platform emulator and checks what the platform saw. */
class QuickStartGatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private PlatformEmulator platform;
    private final ExecutorService gatewayThread = Executors.newSingleThreadExecutor();
    /** Every line the gateway logged; {@link #awaitLine} takes from {@code unread}. */
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();

    @BeforeEach
    void startPlatform() throws Exception {
        platform = PlatformEmulator.builder().port(0).user("alice", "secret").start();
    }

    @AfterEach
    void stop() {
        gatewayThread.shutdownNow();
        platform.close();
    }

    @Test
    void theQuickStartSynchronisesAnswersACommandSendsAnEventAndChangesDevicesAtRunTime() throws Exception {
        Path idFile = dir.resolve("gateway-id.txt");
        QuickStartGateway.Settings settings = new QuickStartGateway.Settings("127.0.0.1", platform.port(), "alice",
                "secret", idFile, WAIT);
        CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
            try {
                return QuickStartGateway.run(settings, line -> {
                    log.add(line);
                    unread.add(line);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, gatewayThread);

        awaitLine("Waiting up to");
        PlatformEmulator.Gateway synced = onlyGateway();
        assertEquals(List.of("lamp-1", "meter-1"), synced.devices().stream().map(PlatformEmulator.Device::uri).sorted().toList());

        PlatformEmulator.CommandResponse answer = platform.sendCommand("lamp-1", "switch", "{\"on\": true}", null)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(Map.of("name", "data", "value", "{\"on\":true}"), dataPart(answer.payload()));
        assertEquals("lamp-1", answer.payload().get("device_url"), "the command's fields are sent back");

        assertTrue(run.get(WAIT.toSeconds(), TimeUnit.SECONDS), "every step acknowledged; log: " + log);
        assertTrue(log.contains("Done"), log.toString());

        PlatformEmulator.Gateway gateway = onlyGateway();
        assertEquals(gateway.id(), Files.readString(idFile).trim(), "the gateway id is kept for the next run");

        PlatformEmulator.Event event = platform.events().get(0);
        assertEquals(List.of("meter-1", "reading", "{\"kwh\":1.43}", 200),
                List.of(event.deviceUri(), event.serviceUri(), event.data(), event.status()));

        assertEquals(List.of("room:hall"), device(gateway, "lamp-1").tags());
        device(gateway, "meter-1"); // disconnected, not deleted: the platform keeps it
        assertTrue(gateway.devices().stream().noneMatch(d -> d.uri().equals("sensor-1")), "sensor-1 was deleted");
        assertEquals(Device.gatewayHash(List.of(new Device("lamp-1", QuickStartGateway.LAMP_TYPE, "Hall lamp",
                Map.of("room", "hall")))), gateway.hash(), "the platform holds the hash of what the gateway has left");
        assertEquals(List.of(4L, 1L, 1L),
                List.of(platform.requestCount("put"), platform.requestCount("disconnect"), platform.requestCount("delete")),
                "put: 2 at the sync, 1 for the add, 1 for the update");
    }

    private void awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (String line; (line = unread.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
            if (line.startsWith(prefix)) {
                return;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' within " + WAIT);
    }

    private PlatformEmulator.Gateway onlyGateway() {
        List<PlatformEmulator.Gateway> gateways = platform.gateways();
        assertEquals(1, gateways.size(), gateways.toString());
        return gateways.get(0);
    }

    private static PlatformEmulator.Device device(PlatformEmulator.Gateway gateway, String uri) {
        return gateway.devices().stream().filter(d -> d.uri().equals(uri)).findFirst()
                .orElseThrow(() -> new AssertionError(uri + " not on the platform: " + gateway.devices()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataPart(Map<String, Object> payload) {
        List<Map<String, Object>> parts = (List<Map<String, Object>>) payload.get("protocol_parts");
        assertNotNull(parts, payload.toString());
        return parts.stream().filter(p -> "data".equals(p.get("name"))).findFirst().orElseThrow();
    }
}
