package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Device;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

import com.google.gson.JsonObject;

/**
 * The device manager's devices are hashed while the client connects and handshakes (the two overlap); whatever
 * happens to the manager in between still reaches the platform in the first synchronisation, in one round.
 */
class FirstSyncReadAheadTest {

    private final FakeTransport platform = new FakeTransport();
    private DefaultConnectorClient client;

    /** An in-memory manager that counts how often all its devices were read. */
    private static final class CountingManager extends InMemoryDeviceManager {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Collection<Device> devices() {
            Collection<Device> all = super.devices();
            reads.incrementAndGet();
            return all;
        }
    }

    private ClientAssembly assembly;

    private DefaultConnectorClient client(CountingManager devices) {
        assembly = platform.client("alice", "secret").deviceManager(devices).assemble();
        client = assembly.client();
        return client;
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /**
     * Answers every request with 200 until the client commits {@code hash}, then waits until it is ready.
     *
     * @return the devices put, in order; {@code commits} gets every hash committed
     */
    private List<String> answerUntilCommitOf(String hash, List<String> commits) throws Exception {
        List<String> puts = new ArrayList<>();
        while (true) {
            JsonObject request = platform.next();
            String handler = request.get("handler").getAsString();
            platform.answer(request, 200, "\"ok\"");
            if (handler.equals("put")) {
                puts.add(request.getAsJsonObject("payload").get("uri").getAsString());
            } else if (handler.equals("commit")) {
                commits.add(request.get("payload").getAsString());
                if (hash.equals(request.get("payload").getAsString())) {
                    Await.until("ready", client::isReady);
                    return puts;
                }
            }
        }
    }

    private final Device first = new Device("first", "iot#t", "First");
    private final Device second = new Device("second", "iot#t", "Second");

    /**
     * Starts a client whose manager holds {@link #first}; once the devices were read ahead, {@code meanwhile} adds
     * {@link #second}; then plays the handshake.
     *
     * @return the devices put until the commit of both; {@code commits} gets every hash committed
     */
    private List<String> secondAddedDuringTheHandshake(Consumer<CountingManager> meanwhile, List<String> commits)
            throws Exception {
        CountingManager devices = new CountingManager();
        devices.add(first);
        client(devices).start();
        Await.until("the devices read ahead of the handshake", () -> devices.reads.get() == 1);
        meanwhile.accept(devices);
        platform.acceptHandshake("");
        return answerUntilCommitOf(Device.gatewayHash(List.of(first, second)), commits);
    }

    @Test
    void aDeviceAddedThroughTheClientDuringTheHandshakeIsInTheFirstSynchronisation() throws Exception {
        // not ready yet: applied to the manager, published by the synchronisation
        List<String> puts = secondAddedDuringTheHandshake(devices -> client.addAsync(second), new ArrayList<>());

        assertTrue(puts.contains("second"), "puts: " + puts);
    }

    @Test
    void devicesAddedToTheManagerItselfDuringTheHandshakeAreInTheOneSynchronisation() throws Exception {
        // as a bundle filling its device manager while the client starts (Karaf, Felix)
        List<String> commits = new ArrayList<>();
        List<String> puts = secondAddedDuringTheHandshake(devices -> devices.add(second), commits);

        assertEquals(List.of("first", "second"), puts.stream().sorted().toList());
        assertEquals(List.of(Device.gatewayHash(List.of(first, second))), commits, "one synchronisation");
    }

    @Test
    void aReconnectReadsTheDeviceManagerOnce() throws Exception {
        CountingManager devices = new CountingManager();
        devices.add(first);
        client(devices).start();
        platform.acceptHandshake("");
        answerUntilCommitOf(Device.gatewayHash(List.of(first)), new ArrayList<>());
        int readsAtReady = devices.reads.get();

        platform.drop();
        platform.acceptHandshake(Device.gatewayHash(List.of(first))); // in sync: nothing to send
        Await.until("ready again", client::isReady);

        assertEquals(readsAtReady + 1, devices.reads.get(), "reads of the device manager for the reconnect");
    }

    @Test
    void aDeviceManagerSwappedDuringTheHandshakeIsTheOneSynchronised() throws Exception {
        CountingManager before = new CountingManager();
        before.add(new Device("old", "iot#t", "Old"));
        client(before).start();
        Await.until("the devices read ahead of the handshake", () -> before.reads.get() >= 1);

        CountingManager after = new CountingManager();
        Device added = new Device("new", "iot#t", "New");
        after.add(added);
        assembly.deviceManagerAdded(after, null, 10); // hands "old" over, so the new manager holds both
        Await.until("the devices handed over", () -> after.devices().size() == 2);
        platform.acceptHandshake("");
        List<String> commits = new ArrayList<>();
        List<String> puts = answerUntilCommitOf(Device.gatewayHash(after.devices()), commits);

        // one synchronisation, of the new manager: never the old manager's list first, then a second round
        assertEquals(List.of("new", "old"), puts.stream().sorted().toList());
        assertEquals(List.of(Device.gatewayHash(after.devices())), commits);
    }
}
