package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/** Losing the platform, refusals, faults and timeouts: the client recovers by itself and loses no request. */
@ParameterizedClass
@ValueSource(strings = { "tyrus", "jdk" })
class ResilienceTest {

    /** The suite runs over each transport. */
    @Parameter
    String transport;

    private EmulatorFixture fixture;
    private DefaultConnectorClient client;

    @BeforeEach
    void start() throws Exception {
        fixture = new EmulatorFixture(transport);
        fixture.devices.add(new Device("meter-1", "iot#meter", "Meter"));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        fixture.close();
    }

    @Test
    void platformRestartIsFollowedByAnAutomaticReconnect() {
        List<String> calls = new CopyOnWriteArrayList<>();
        client = fixture.client().connectionListener(new ConnectionListener() {
            @Override
            public void connected(String gatewayId) {
                calls.add("connected " + gatewayId);
            }

            @Override
            public void disconnected(String reason) {
                calls.add("disconnected");
            }
        }).start();
        Await.until("ready", client::isReady);
        String gid = client.gatewayId();
        fixture.platform.closeAllSessions();
        fixture.platform.refuseConnections(Duration.ofMillis(300));
        Await.until("ready again after the restart", () -> calls.size() >= 3 && client.isReady());
        assertEquals(List.of("connected " + gid, "disconnected", "connected " + gid), calls);
    }

    @Test
    void changesMadeWhileOfflineAreSynchronisedAtTheNextConnect() throws Exception {
        client = fixture.readyClient();
        fixture.platform.refuseConnections(Duration.ofMillis(500));
        fixture.platform.closeAllSessions();
        Await.until("disconnected", () -> !client.isReady());
        Device plug = new Device("plug-1", "iot#plug", "Plug");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.addAsync(plug, Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(Reason.NOT_CONNECTED, assertInstanceOf(ConnectorException.class, e.getCause()).reason());
        assertTrue(fixture.devices.get("plug-1").isPresent(), "applied to the device manager anyway");
        Await.until("ready again", client::isReady);
        assertTrue(fixture.onPlatform(client, "plug-1").isPresent());
        assertEquals(Device.gatewayHash(fixture.devices.devices()), fixture.platformHash(client));
    }

    @Test
    void wrongPasswordIsReportedAndRetriedWithBackOffNotInATightLoop() {
        client = fixture.client().credentials(EmulatorFixture.USER, "wrong").reconnectDelay(Duration.ofMillis(50),
                Duration.ofSeconds(2)).start();
        Await.until("three refused handshakes", () -> fixture.platform.requestCount("handshake") >= 3);
        assertTrue(client.status().lastError().contains("wrong user or password"), client.status().lastError());
        assertNotEquals(ConnectionState.READY, client.state());
        long seen = fixture.platform.requestCount("handshake");
        // with the delay doubling from 50 ms, a tight loop would make hundreds of attempts in a second
        Await.until("another attempt", Duration.ofSeconds(10), () -> fixture.platform.requestCount("handshake") > seen);
        assertTrue(fixture.platform.requestCount("handshake") < 20, "attempts: " + fixture.platform.requestCount("handshake"));
    }

    @Test
    void withoutOutboxErrorAnswersAreResponsesNotExceptions() throws Exception {
        client = fixture.client().outboxDisabled().start();
        Await.until("client ready", client::isReady);
        fixture.platform.faults().failNext("event", 1, 500);
        Response failed = client.event("meter-1", "reading", "1", null);
        assertEquals(500, failed.status());
        assertEquals(200, client.event("meter-1", "reading", "2", null).status());
    }

    @Test
    void unansweredRequestTimesOut() {
        client = fixture.readyClient();
        fixture.platform.faults().dropNext("event", 1);
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> client.event("meter-1", "reading", "1", null, Duration.ofMillis(200)));
        assertEquals(Reason.TIMEOUT, e.reason());
        assertTrue(client.isReady());
    }

    @Test
    void failedSynchronisationIsRetriedUntilItSucceeds() {
        fixture.platform.faults().failNext("put", 1, 500);
        client = fixture.readyClient();
        assertTrue(fixture.platform.requestCount("handshake") >= 2, "a second connection did the sync");
        assertEquals(Device.gatewayHash(fixture.devices.devices()), fixture.platformHash(client));
    }

    @Test
    void withoutOutboxEventsWhileNotConnectedFailFast() {
        client = fixture.client().outboxDisabled().start();
        fixture.platform.close();
        Await.until("disconnected", () -> !client.isReady());
        long start = System.nanoTime();
        ConnectorException e = assertThrows(ConnectorException.class, () -> client.event("meter-1", "reading", "1", null));
        assertEquals(Reason.NOT_CONNECTED, e.reason());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aFailingDeviceManagerIsRetriedNotLeftHalfSynchronised() {
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
        InMemoryDeviceManager store = new InMemoryDeviceManager() {
            @Override
            public synchronized java.util.Collection<Device> devices() {
                if (broken.get()) {
                    throw new IllegalStateException("device database /data/devices.db is closed");
                }
                return super.devices();
            }
        };
        store.add(new Device("plug-1", "iot#plug", "Plug"));
        client = fixture.client().deviceManager(store).start();
        Await.until("a failed synchronisation", () -> String.valueOf(client.status().lastError()).contains("devices.db is closed"));
        assertNotEquals(ConnectionState.READY, client.state());
        broken.set(false);
        Await.until("ready once the device manager works", client::isReady);
        assertEquals(Device.gatewayHash(store.devices()), fixture.platformHash(client));
    }

    /** The default outbox keeps events sent before the client is ready and delivers them once it is. */
    @Test
    void eventsSentBeforeStartAreStoredAndDeliveredWhenReady() throws Exception {
        fixture.devices.add(new Device("meter-9", "iot#meter", "Meter"));
        client = fixture.client().build();

        org.sepl.connector.api.Delivery early = client.sendEvent("meter-9", "reading", "{\"kwh\":1}", null);
        early.stored().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(!early.answered().toCompletableFuture().isDone(), "stored, not failed, not yet answered");
        client.start();

        assertEquals(200, early.answered().toCompletableFuture().get(10, TimeUnit.SECONDS).status());
        assertTrue(fixture.platform.events().stream().anyMatch(e -> e.deviceUri().equals("meter-9") && e.status() == 200));
    }

    @Test
    void withTheOutboxDisabledEventsFailFastWhileNotReady() {
        client = fixture.client().outboxDisabled().build();
        ConnectorException e = assertThrows(ConnectorException.class, () -> client.event("meter-1", "s", "1", null));
        assertEquals(Reason.NOT_CONNECTED, e.reason());
        org.sepl.connector.api.Delivery d = client.sendEvent("meter-1", "s", "1", null);
        ExecutionException stored = assertThrows(ExecutionException.class,
                () -> d.stored().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(Reason.NOT_CONNECTED, ((ConnectorException) stored.getCause()).reason());
        assertEquals(null, client.status().outbox(), "no outbox in the status");
    }

    @Test
    void hotSwapOfTheDeviceManagerResynchronises() {
        client = fixture.readyClient();
        InMemoryDeviceManager other = new InMemoryDeviceManager();
        other.add(new Device("zwave-7", "iot#switch", "Switch"));
        fixture.deviceManagerAppears(other);
        Await.until("the platform holds the new manager's devices", () -> fixture.onPlatform(client, "zwave-7").isPresent()
                && Device.gatewayHash(other.devices()).equals(fixture.platformHash(client)));
        Await.until("ready", client::isReady);
    }

    @Test
    void closeSendsCode1000AndLeavesNoThreads() {
        client = fixture.readyClient();
        client.close();
        assertEquals(ConnectionState.CLOSED, client.state());
        Await.until("the platform saw the session end", () -> fixture.platform.openSessions() == 0);
        Await.until("no client threads left: " + clientThreads(), () -> clientThreads().isEmpty());
        ConnectorException e = assertThrows(ConnectorException.class, () -> client.event("meter-1", "s", "1", null));
        assertEquals(Reason.CLOSED, e.reason());
    }

    /**
     * The client's threads, and those of the transport it made for itself. (Not Tyrus's shared Grizzly threads: they
     * are one set per JVM, which Tyrus stops after its last connection closed.)
     */
    private static Set<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("sepl-connector") && !n.startsWith("sepl-connector-tyrus"))
                .collect(Collectors.toSet());
    }
}
