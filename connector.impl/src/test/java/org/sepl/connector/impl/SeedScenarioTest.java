package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.emulator.PlatformEmulator;

/** The original client's test scenario, step by step, against the platform emulator. */
class SeedScenarioTest {

    private EmulatorFixture fixture;
    private DefaultConnectorClient client;
    private final Device lamp = new Device("lamp-1", "iot#lamp", "Hall Lamp");
    private final Device meter = new Device("meter-1", "iot#meter", "Meter");

    @BeforeEach
    void connect() throws Exception {
        fixture = new EmulatorFixture();
        fixture.devices.add(lamp);
        fixture.devices.add(meter);
        client = fixture.readyClient();
    }

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    private PlatformEmulator.Device platformDevice(String id) {
        return fixture.onPlatform(client, id).orElseThrow(() -> new AssertionError(id + " not on the platform"));
    }

    private void assertInSync() {
        assertEquals(Device.gatewayHash(fixture.devices.devices()), fixture.platformHash(client));
    }

    @Test
    void firstConnectGetsAGatewayIdAndSynchronisesEveryDevice() {
        assertFalse(client.gatewayId().isEmpty());
        assertEquals(client.gatewayId(), fixture.gatewayIds.load());
        assertEquals("Hall Lamp", platformDevice("lamp-1").name());
        assertEquals("iot#meter", platformDevice("meter-1").iotType());
        assertInSync();
    }

    @Test
    void reconnectWithUnchangedDevicesSendsNoDevices() {
        long puts = fixture.platform.requestCount("put");
        String gid = client.gatewayId();
        client.close();
        client = fixture.readyClient();
        assertEquals(gid, client.gatewayId());
        assertEquals(puts, fixture.platform.requestCount("put"));
    }

    @Test
    void addTag() throws Exception {
        lamp.addTag("room", "kitchen");
        assertEquals(200, client.update(lamp).status());
        assertEquals(List.of("room:kitchen"), platformDevice("lamp-1").tags());
        assertInSync();
    }

    @Test
    void changeTag() throws Exception {
        lamp.addTag("room", "kitchen");
        client.update(lamp);
        assertTrue(lamp.changeTag("room", "hall"));
        assertEquals(200, client.update(lamp).status());
        assertEquals(List.of("room:hall"), platformDevice("lamp-1").tags());
        assertInSync();
    }

    @Test
    void removeTagIsCommittedButThePlatformKeepsTheTag() throws Exception {
        lamp.addTag("room", "kitchen");
        client.update(lamp);
        assertTrue(lamp.removeTag("room"));
        assertEquals(200, client.update(lamp).status());
        assertEquals(List.of("room:kitchen"), platformDevice("lamp-1").tags(), "the platform merges tags");
        assertInSync();
    }

    @Test
    void rename() throws Exception {
        lamp.setName("Kitchen Lamp");
        assertEquals(200, client.update(lamp).status());
        assertEquals("Kitchen Lamp", platformDevice("lamp-1").name());
        assertInSync();
    }

    @Test
    void disconnectKeepsTheDeviceOnThePlatform() throws Exception {
        assertEquals(200, client.disconnect("meter-1").status());
        assertTrue(fixture.devices.get("meter-1").isEmpty());
        assertFalse(platformDevice("meter-1").connected());
        assertInSync();
    }

    @Test
    void deleteRemovesTheDeviceFromThePlatform() throws Exception {
        assertEquals(200, client.delete("meter-1").status());
        assertTrue(fixture.devices.get("meter-1").isEmpty());
        assertTrue(fixture.onPlatform(client, "meter-1").isEmpty());
        assertInSync();
    }

    @Test
    void addNewDevice() throws Exception {
        Device plug = new Device("plug-1", "iot#plug", "Plug", Map.of("floor", "1"));
        assertEquals(200, client.add(plug).status());
        assertEquals(List.of("floor:1"), platformDevice("plug-1").tags());
        assertTrue(fixture.devices.get("plug-1").isPresent());
        assertInSync();
    }

    @Test
    void addExistingDeviceReplacesIt() throws Exception {
        Device again = new Device("lamp-1", "iot#lamp", "Renamed by add");
        assertEquals(200, client.add(again).status());
        assertEquals("Renamed by add", fixture.devices.get("lamp-1").orElseThrow().name());
        assertEquals("Renamed by add", platformDevice("lamp-1").name());
        assertInSync();
    }

    @Test
    void disconnectAndDeleteOfUnknownDevicesGetThePlatformsAnswer() throws Exception {
        Response disconnect = client.disconnect("no-such-device");
        assertEquals(500, disconnect.status(), "the platform is not listening to it");
        Response delete = client.delete("no-such-device");
        assertTrue(delete.status() == 200 || delete.status() == 500, delete.toString());
        assertTrue(client.isReady());
    }

    @Test
    void changeAndRemoveOfUnknownTagsChangeNothing() {
        String before = lamp.hash();
        assertFalse(lamp.changeTag("nope", "x"));
        assertFalse(lamp.removeTag("nope"));
        assertEquals(before, lamp.hash());
    }

    @Test
    void eventsAreAcknowledgedInOrder() throws Exception {
        List<CompletableFuture<Response>> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(client.eventAsync("meter-1", "reading", "{\"kwh\":" + i + "}", null).toCompletableFuture());
        }
        for (CompletableFuture<Response> f : sent) {
            assertEquals(200, f.get(10, TimeUnit.SECONDS).status());
        }
        List<PlatformEmulator.Event> events = fixture.platform.events();
        assertEquals(100, events.size());
        assertEquals("{\"kwh\":99}", events.get(99).data());
        assertEquals(200, events.get(0).status());
    }

    @Test
    void eventForADeviceThePlatformDoesNotKnowIsRefusedNotLost() throws Exception {
        Response r = client.event("ghost", "reading", "1", null);
        assertEquals(400, r.status());
        assertFalse(r.isSuccess());
    }

    @Test
    void commandForAHandlerIsAnsweredWithItsResult() throws Exception {
        client.addCommandHandler(c -> CommandResult.of("{\"on\":true}"), Map.of(CommandHandler.DEVICE_TYPE, "iot#lamp"));
        PlatformEmulator.CommandResponse answer = fixture.platform
                .sendCommand("lamp-1", "set_on", "{\"on\":true}", null).get(10, TimeUnit.SECONDS);
        assertEquals("lamp-1", answer.payload().get("device_url"));
        assertEquals(List.of(part("metadata", null), part("data", "{\"on\":true}")), answer.payload().get("protocol_parts"));
    }

    private static Map<String, Object> part(String name, Object value) {
        Map<String, Object> part = new java.util.HashMap<>();
        part.put("name", name);
        part.put("value", value);
        return part;
    }

    @Test
    void receiveAndRespond() throws Exception {
        CompletableFuture<PlatformEmulator.CommandResponse> answer = fixture.platform
                .sendCommand("meter-1", "reset", "{}", null);
        Command command = client.receive(Duration.ofSeconds(10)).orElseThrow();
        assertEquals("meter-1", command.deviceId());
        assertEquals("reset", command.serviceId());
        assertEquals(200, client.respond(command, "{\"reset\":true}", "m").status());
        Map<String, Object> payload = answer.get(10, TimeUnit.SECONDS).payload();
        assertEquals(command.taskId(), payload.get("task_id"));
        assertNotEquals(null, payload.get("protocol_parts"));
    }
}
