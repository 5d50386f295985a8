package org.sepl.connector.shell;

import org.sepl.connector.testkit.RecordingClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectionCounts;
import org.sepl.connector.api.RoundTrips;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.outbox.OutboxFlow;

class SeplCommandsTest {

    private final RecordingClient client = new RecordingClient();
    private final SeplCommands commands = new SeplCommands();

    private void bindClient() {
        commands.clients = List.of(Map.entry(
                Map.<String, Object>of("connector.config.pid", "org.sepl.connector.client", "user", "alice",
                        "host", "127.0.0.1", "port", 8080),
                client));
    }

    @Test
    void statusShowsStateGatewayDevicesAndErrors() {
        bindClient();
        commands.deviceManager = manager(new Device("d1", "t1", "one"), new Device("d2", "t2", "two"));
        String status = commands.status();
        assertTrue(status.contains("org.sepl.connector.client (alice@127.0.0.1:8080)"), status);
        assertTrue(status.contains("READY"), status);
        assertTrue(status.contains("gw-1"), status);
        assertTrue(status.matches("(?s).*devices:\\s+2\\n.*"), status);
        assertTrue(status.matches("(?s).*requests in flight:\\s+0\\n.*"), status);
        assertTrue(status.matches("(?s).*last error:\\s+-\\n.*"), status);
        assertTrue(status.matches("(?s).*outbox:\\s+3 pending \\(300 bytes, oldest 2000 ms\\); stored 10, delivered 7.*"), status);
        assertTrue(status.matches("(?s).*outbox flow:\\s+in 0\\.0/s, out 0\\.0/s; not filling\\n.*"), status);
        assertTrue(status.matches("(?s).*ledger:\\s+offered 10 = refused 0 \\+ stored 10\\n"
                + "\\s+stored 10 \\+ recovered 0 = delivered 7 \\+ rejected 0 \\+ dropped 0 \\+ expired 0 \\+ "
                + "left behind 0 \\+ unanswered 0 \\+ pending 3\\n.*"), status);
    }

    @Test
    void theFlowSaysWhenTheOutboxWillBeFull() {
        assertEquals("in 120/s, out 2.5/s; full in about 42 min at this pace",
                SeplCommands.flow(new OutboxFlow(120.2, 2.5, Duration.ofMinutes(42).plusSeconds(10))));
        assertEquals("in 3.0/s, out 0.0/s; full in about 90 s at this pace",
                SeplCommands.flow(new OutboxFlow(3, 0, Duration.ofSeconds(90))));
        assertEquals("in 3.0/s, out 0.0/s; FULL", SeplCommands.flow(new OutboxFlow(3, 0, Duration.ZERO)));
    }

    @Test
    void connectionsAndRoundTripsInWords() {
        assertEquals("ready 4 times (3 reconnects), lost 3, failed attempts 9",
                SeplCommands.connections(new ConnectionCounts(4, 3, 9)));
        assertEquals("ready 1 time (0 reconnects), lost 0, failed attempts 0",
                SeplCommands.connections(new ConnectionCounts(1, 0, 0)));
        assertEquals("1000 answered; last minute: p50 1.5 ms, p90 3.0 ms, p99 9.0 ms, max 12 ms (40 answers)",
                SeplCommands.roundTrips(new RoundTrips(1000, Duration.ofSeconds(2), 40, Duration.ofNanos(1_500_000),
                        Duration.ofMillis(3), Duration.ofMillis(9), Duration.ofMillis(12))));
        assertEquals("0 answered; none in the last minute", SeplCommands.roundTrips(RoundTrips.NONE));
    }

    @Test
    void statusWithoutClientSaysHowToConfigureOne() {
        assertTrue(commands.status().contains("org.sepl.connector.client"));
    }

    @Test
    void devicesListsIdTypeNameAndTags() {
        commands.deviceManager = manager(new Device("lamp", "demo-lamp", "Lamp", Map.of("room", "hall")));
        String devices = commands.devices();
        assertTrue(devices.matches("(?s).*lamp\\s+demo-lamp\\s+Lamp\\s+room:hall.*"), devices);
    }

    @Test
    void eventSendsThroughTheClientAndPrintsTheAnswer() throws Exception {
        bindClient();
        assertEquals("Acknowledged: 200 ok", commands.event("d1", "reading", "{\"v\":1}"));
        RecordingClient.Event sent = client.events.take();
        assertEquals(new RecordingClient.Event("d1", "reading", "{\"v\":1}"), sent);
    }

    @Test
    void eventWithoutClientSendsNothing() {
        assertTrue(commands.event("d1", "reading").startsWith("No connector client"));
    }

    private static DeviceManager manager(Device... devices) {
        return new DeviceManager() {
            @Override
            public boolean add(Device device) {
                return false;
            }

            @Override
            public boolean update(Device device) {
                return false;
            }

            @Override
            public boolean remove(String deviceId) {
                return false;
            }

            @Override
            public Optional<Device> get(String deviceId) {
                return Optional.empty();
            }

            @Override
            public Collection<Device> devices() {
                return List.of(devices);
            }
        };
    }
}
