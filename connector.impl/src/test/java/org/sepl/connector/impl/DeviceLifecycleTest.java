package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * Device changes at a flat cost and coalesced commits; device-manager swaps and shutdown never change what the
 * platform knows (plain Java, against the emulator).
 */
class DeviceLifecycleTest {

    private EmulatorFixture fixture;
    private DefaultConnectorClient client;

    @BeforeEach
    void start() throws Exception {
        fixture = new EmulatorFixture();
        for (int i = 0; i < 5; i++) {
            fixture.devices.add(new Device("sensor-" + i, "iot#sensor", "Sensor " + i));
        }
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        fixture.close();
    }

    private void assertPlatformHolds(java.util.Collection<Device> devices) {
        assertEquals(Device.gatewayHash(devices), fixture.platformHash(client));
        assertEquals(devices.size(), fixture.platform.gateway(client.gatewayId()).orElseThrow().devices().stream()
                .filter(PlatformEmulatorDevices::connected).count());
    }

    private static final class PlatformEmulatorDevices {
        static boolean connected(org.sepl.connector.emulator.PlatformEmulator.Device d) {
            return d.connected();
        }
    }

    @Test
    void aBurstOfChangesIsCommittedOnceOrAFewTimesAndTheHashMatchesThePlatform() throws Exception {
        client = fixture.readyClient();
        long commitsBefore = fixture.platform.requestCount("commit");
        List<CompletableFuture<Response>> adds = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            adds.add(client.addAsync(new Device("burst-" + i, "iot#plug", "Plug " + i)).toCompletableFuture());
        }
        adds.add(client.deleteAsync("sensor-0").toCompletableFuture());
        for (CompletableFuture<Response> f : adds) {
            assertEquals(200, f.get(30, TimeUnit.SECONDS).status());
        }
        long commits = fixture.platform.requestCount("commit") - commitsBefore;
        assertTrue(commits >= 1 && commits < 30, commits + " commits for 301 changes");
        assertPlatformHolds(fixture.devices.devices());
    }

    @Test
    void aChangeThePlatformRefusesIsNotInTheCommittedHash() throws Exception {
        client = fixture.readyClient();
        fixture.platform.faults().failNext("put", 1, 400);
        Response refused = client.add(new Device("bad-1", "iot#plug", "Plug"));
        assertEquals(400, refused.status());
        assertEquals(200, client.add(new Device("good-1", "iot#plug", "Plug")).status());
        List<Device> onPlatform = new ArrayList<>(fixture.devices.devices());
        onPlatform.removeIf(d -> d.id().equals("bad-1"));
        assertEquals(Device.gatewayHash(onPlatform), fixture.platformHash(client), "the committed hash is the platform's list");
    }

    @Test
    void aRefusedUpdateIsUndoneInTheLedgerSoTheNextCommitCarriesThePlatformsVersion() throws Exception {
        client = fixture.readyClient();
        Device original = new Device("plug-u", "iot#plug", "Plug");
        assertEquals(200, client.add(original).status());
        fixture.platform.faults().failNext("put", 1, 400);
        assertEquals(400, client.add(new Device("plug-u", "iot#plug", "Renamed")).status());
        assertEquals(200, client.add(new Device("good-2", "iot#plug", "Plug")).status());
        List<Device> onPlatform = new ArrayList<>(fixture.devices.devices());
        onPlatform.removeIf(d -> d.id().equals("plug-u"));
        onPlatform.add(original);
        assertEquals(Device.gatewayHash(onPlatform), fixture.platformHash(client), "the refused rename is not committed");
    }

    @Test
    void swappingToAnEmptyManagerHandsTheDevicesOverAndSendsNothing() throws Exception {
        client = fixture.readyClient();
        String hash = fixture.platformHash(client);
        long puts = fixture.platform.requestCount("put");
        long clears = fixture.platform.requestCount("clear");
        InMemoryDeviceManager persistent = new InMemoryDeviceManager(); // stands in for a SQLite store
        fixture.deviceManagerAppears(persistent);
        Await.until("ready after the swap", client::isReady);
        assertEquals(5, persistent.devices().size(), "the devices were copied into the new manager");
        assertEquals(hash, fixture.platformHash(client));
        assertEquals(clears, fixture.platform.requestCount("clear"), "no clear");
        assertEquals(puts, fixture.platform.requestCount("put"), "no put");

        // and back to a fallback that lost everything: still the same devices everywhere
        InMemoryDeviceManager fallback = new InMemoryDeviceManager();
        fixture.deviceManagerAppears(fallback);
        Await.until("ready after the second swap", client::isReady);
        assertEquals(5, fallback.devices().size());
        assertEquals(hash, fixture.platformHash(client));
    }

    @Test
    void aSwapToAManagerWithOtherDevicesKeepsBothAndPublishesTheUnion() throws Exception {
        client = fixture.readyClient();
        InMemoryDeviceManager other = new InMemoryDeviceManager();
        other.add(new Device("zwave-7", "iot#switch", "Switch"));
        fixture.deviceManagerAppears(other);
        Await.until("the platform holds the union", () -> client.isReady()
                && Device.gatewayHash(other.devices()).equals(fixture.platformHash(client)));
        assertEquals(6, other.devices().size());
    }

    @Test
    void startingAgainstAnEmptyFallbackNeverClearsThePlatform() throws Exception {
        client = fixture.readyClient();
        String hash = fixture.platformHash(client);
        client.close();
        long clears = fixture.platform.requestCount("clear");

        // next start: the persistent store is not there yet, an empty in-memory fallback is
        InMemoryDeviceManager fallback = new InMemoryDeviceManager();
        fixture.assembly = fixture.client().deviceManager(fallback).assemble();
        client = fixture.assembly.client();
        client.start();
        Await.until("ready", client::isReady);
        assertEquals(clears, fixture.platform.requestCount("clear"), "no clear against the empty fallback");
        assertEquals(hash, fixture.platformHash(client));

        // then the persistent store appears, holding the devices: nothing needs to be sent
        fixture.deviceManagerAppears(fixture.devices);
        Await.until("ready", client::isReady);
        assertEquals(hash, fixture.platformHash(client));
        assertEquals(clears, fixture.platform.requestCount("clear"));
    }

    @Test
    void removingTheLastDeviceThroughTheClientDoesEmptyThePlatform() throws Exception {
        client = fixture.readyClient();
        for (Device d : fixture.devices.devices()) {
            assertEquals(200, client.delete(d.id()).status());
        }
        assertEquals(Device.EMPTY_GATEWAY_HASH, fixture.platformHash(client));
    }

    @Test
    void afterCloseNoSwapOrChangeReachesThePlatform() throws Exception {
        client = fixture.readyClient();
        String hash = fixture.platformHash(client);
        long requests = fixture.platform.requestCount("clear") + fixture.platform.requestCount("put")
                + fixture.platform.requestCount("commit");
        client.close();
        fixture.deviceManagerAppears(new InMemoryDeviceManager()); // a store stopping after the client
        assertTrue(client.deleteAsync("sensor-1").toCompletableFuture().isCompletedExceptionally());
        assertEquals(hash, fixture.platformHash(client));
        assertEquals(requests, fixture.platform.requestCount("clear") + fixture.platform.requestCount("put")
                + fixture.platform.requestCount("commit"));
    }
}
