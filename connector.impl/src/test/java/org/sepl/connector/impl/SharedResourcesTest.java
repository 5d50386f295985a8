package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * Many clients on one {@link ClientResources}: all READY on few threads, over either transport; closing one leaves
 * the others alone.
 */
@ParameterizedClass
@ValueSource(strings = { "tyrus", "jdk" })
class SharedResourcesTest {

    @Parameter
    String transportName;

    private static final int CLIENTS = 20;

    private PlatformEmulator platform;
    private ClientResources resources;
    private final List<DefaultConnectorClient> clients = new ArrayList<>();
    /** READY transitions of all clients. */
    private final java.util.concurrent.atomic.AtomicInteger readyEvents = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void platform() throws Exception {
        platform = PlatformEmulator.builder().user(EmulatorFixture.USER, EmulatorFixture.PASSWORD).start();
        resources = new ClientResources(ClassPathDefaults.transport(transportName), 1); // idle lane threads: 1 s
    }

    @AfterEach
    void closeAll() {
        clients.forEach(DefaultConnectorClient::close);
        resources.close();
        platform.close();
    }

    private DefaultConnectorClient start(int i) {
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        devices.add(new Device("meter-" + i, "iot#meter", "Meter " + i));
        DefaultConnectorClient client = new ConnectorClientBuilder()
                .platform("127.0.0.1", platform.port(), false)
                .credentials(EmulatorFixture.USER, EmulatorFixture.PASSWORD)
                .requestTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .deviceManager(devices)
                .resources(resources)
                .connectionListener(new org.sepl.connector.api.ConnectionListener() {
                    @Override
                    public void connected(String gatewayId) {
                        readyEvents.incrementAndGet();
                    }

                    @Override
                    public void disconnected(String reason) {
                    }
                })
                .start();
        clients.add(client);
        return client;
    }

    /**
     * The connector's threads, by name with the numbers folded. (Not the JDK HTTP clients' selector threads: those of
     * earlier tests' clients end only when garbage collected.)
     */
    private static java.util.Map<String, Long> threadKinds() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("sepl-connector"))
                .map(n -> n.replaceAll("\\d+", "N"))
                .collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
    }

    @Test
    void twentyClientsShareTheirThreadsAndClosingOneLeavesTheOthers() throws Exception {
        for (int i = 0; i < CLIENTS; i++) {
            start(i);
        }
        Await.until("all " + CLIENTS + " clients READY", Duration.ofSeconds(30),
                () -> clients.stream().allMatch(DefaultConnectorClient::isReady));
        assertEquals(CLIENTS, platform.openSessions());

        // with threads of their own the 20 would have a timer and lane threads each; shared: 1 timer, the one
        // transport's threads, and lane threads only while busy
        java.util.Map<String, Long> kinds = threadKinds();
        assertEquals(1L, kinds.get("sepl-connector-shared-timer #N"), "one shared timer: " + kinds);
        assertTrue(kinds.keySet().stream().allMatch(k -> k.startsWith("sepl-connector-shared")
                || k.startsWith("sepl-connector-commands") || k.startsWith("sepl-connector-tyrus")
                || k.startsWith("sepl-connector-jdk")),
                "no client has threads of its own besides its command threads: " + kinds);
        assertTrue(kinds.getOrDefault("sepl-connector-shared-lane #N", 0L) <= 3L * CLIENTS,
                "lane threads at most the lanes busy at once: " + kinds);
        Await.until("idle lane threads ended (1 s keep-alive): " + threadKinds(), Duration.ofSeconds(10),
                () -> threadKinds().getOrDefault("sepl-connector-shared-lane #N", 0L) <= 2);

        DefaultConnectorClient closed = clients.get(0);
        closed.close();
        assertEquals(ConnectionState.CLOSED, closed.state());
        Await.until("the closed client's session ends", () -> platform.openSessions() == CLIENTS - 1);

        assertFalse(resources.isClosed());
        for (DefaultConnectorClient c : clients.subList(1, CLIENTS)) {
            assertTrue(c.isReady(), "a client sharing the resources is still READY after another closed");
            Response r = c.eventAsync(device(c), "report", "{\"w\":1}", null, Duration.ofSeconds(5))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(r.isSuccess(), "event answered: " + r);
        }

        // and the survivors still reconnect (timer, lanes and HTTP client all still work after one close)
        int readyBefore = readyEvents.get();
        platform.closeAllSessions();
        Await.until("the other clients READY again", Duration.ofSeconds(30),
                () -> readyEvents.get() >= readyBefore + CLIENTS - 1 && platform.openSessions() == CLIENTS - 1
                        && clients.subList(1, CLIENTS).stream().allMatch(DefaultConnectorClient::isReady));
    }

    @Test
    void closedResourcesAreRefusedByTheBuilder() {
        ClientResources gone = new ClientResources(ClassPathDefaults.transport(transportName));
        gone.close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConnectorClientBuilder().resources(gone));
        assertTrue(e.getMessage().contains("resources is closed"), e.getMessage());
    }

    private String device(DefaultConnectorClient c) {
        return "meter-" + clients.indexOf(c);
    }
}
