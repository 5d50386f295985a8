package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.store.memory.InMemoryOutbox;

/**
 * The other half of the threading model (connector.impl/README.md, "Threads"): a store that hangs (a device manager
 * on a stuck disk, an outbox on a full one) holds up its own work only. Events and commands keep flowing past a stuck
 * device manager; device changes keep flowing past a stuck outbox, and the outbox's callers are never blocked by it.
 */
class SlowStoreIsolationTest {

    private EmulatorFixture fixture;
    private DefaultConnectorClient client;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean stuck;

    @BeforeEach
    void platform() throws Exception {
        fixture = new EmulatorFixture();
    }

    @AfterEach
    void close() {
        release.countDown();
        if (client != null) {
            client.close();
        }
        fixture.close();
    }

    private void hangWhileStuck() {
        if (stuck) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aDeviceManagerThatHangsDelaysNoEventOrCommand() throws Exception {
        InMemoryDeviceManager hanging = new InMemoryDeviceManager() {
            @Override
            public boolean add(Device device) {
                hangWhileStuck(); // outside the manager's lock: a slow disk, not a deadlock
                return super.add(device);
            }
        };
        hanging.add(new Device("meter-1", "iot#meter", "Meter"));
        client = fixture.client().deviceManager(hanging).start();
        Await.until("client ready", client::isReady);
        client.addCommandHandler(command -> CommandResult.of("{\"on\":true}"),
                Map.of(CommandHandler.DEVICE_ID, "meter-1"));

        stuck = true;
        // a change is applied to the device manager on its caller's thread (the manager holds the device when the
        // call returns): here a thread of the gateway's, which the stuck store holds
        CompletableFuture<Response> added = CompletableFuture.supplyAsync(() -> client
                .addAsync(new Device("lamp-2", "iot#lamp", "Lamp"))).thenCompose(stage -> stage);

        assertEquals(200, client.event("meter-1", "reading", "while stuck", null, Duration.ofSeconds(5)).status());
        PlatformEmulator.CommandResponse answer = fixture.platform.sendCommand("meter-1", "switch", "{}", null)
                .get(10, TimeUnit.SECONDS);
        assertEquals("{\"on\":true}", ((Map<?, ?>) ((List<?>) answer.payload().get("protocol_parts")).get(1))
                .get("value"), "the handler's answer");
        assertFalse(added.isDone(), "the device change waits for its device manager");

        release.countDown();
        assertEquals(200, added.get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void anOutboxThatHangsBlocksNoCallerAndNoDeviceChange() throws Exception {
        InMemoryOutbox hanging = new InMemoryOutbox() {
            @Override
            public CompletionStage<OutboxEntry> append(OutboxMessage message) {
                hangWhileStuck();
                return super.append(message);
            }
        };
        fixture.devices.add(new Device("meter-1", "iot#meter", "Meter"));
        client = fixture.client().outbox(hanging).start();
        Await.until("client ready", client::isReady);

        stuck = true;
        long before = System.nanoTime();
        Delivery event = client.sendEvent("meter-1", "reading", "while stuck", null);
        assertEquals(0, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before),
                "sendEvent returns at once; the store's wait is the outbox lane's");
        // the link and device changes are not the outbox's: they go on while it hangs
        assertEquals(200, client.add(new Device("lamp-2", "iot#lamp", "Lamp")).status());
        Await.until("lamp-2 on the platform", () -> fixture.onPlatform(client, "lamp-2").isPresent());
        assertFalse(event.stored().toCompletableFuture().isDone(), "not stored while the store hangs");

        release.countDown();
        assertEquals(200, event.answered().toCompletableFuture().get(10, TimeUnit.SECONDS).status());
    }
}
