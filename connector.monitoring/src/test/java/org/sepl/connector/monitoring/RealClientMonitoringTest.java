package org.sepl.connector.monitoring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.api.StandaloneConnectorClient;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.testkit.PrometheusTextParser;

/**
 * Real clients against the platform emulator, seen through their MBeans and the Prometheus text: the figures move
 * with what the clients do, and no password given to a client shows anywhere.
 */
class RealClientMonitoringTest {

    private static final String PASSWORD = "pw-never-shown-4711";
    private static final String WRONG_PASSWORD = "wrong-pw-never-shown-0815";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void figuresFollowTheClientsAndNoPasswordShows() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        MonitoredClients clients = new MonitoredClients();
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        devices.add(new Device("meter-1", "meter-type", "Meter"));
        try (PlatformEmulator platform = PlatformEmulator.builder().user("alice", PASSWORD).start();
                ClientMBeans beans = new ClientMBeans(server);
                StandaloneConnectorClient good = client(platform, PASSWORD, devices);
                StandaloneConnectorClient refused = client(platform, WRONG_PASSWORD, new InMemoryDeviceManager())) {
            add(beans, clients, "good", good, platform);
            add(beans, clients, "refused", refused, platform);
            assertTrue(good.awaitReady(WAIT), "not ready: " + good.status());
            for (int i = 0; i < 5; i++) {
                good.event("meter-1", "reading", "{\"kwh\":" + i + "}", null);
            }
            await().atMost(WAIT).until(() -> refused.status().connections().failedAttempts() >= 2);

            ObjectName goodName = ClientMBean.objectName("good");
            assertEquals("READY", server.getAttribute(goodName, "State"));
            assertEquals(1L, server.getAttribute(goodName, "ConnectionsEstablished"));
            assertTrue((Long) server.getAttribute(goodName, "RequestsAnswered") >= 5);
            assertTrue((Double) server.getAttribute(goodName, "RequestRoundTripP50Seconds") > 0);
            assertEquals(5L, server.getAttribute(goodName, "LedgerOffered"));
            ObjectName refusedName = ClientMBean.objectName("refused");
            assertFalse(((String) server.getAttribute(refusedName, "LastError")).isEmpty());

            Map<String, PrometheusTextParser.Family> families = PrometheusTextParser.parse(clients.prometheusText());
            assertEquals(1.0, families.get("sepl_connector_ready").sample("client", "good").orElseThrow().value());
            assertEquals(0.0, families.get("sepl_connector_ready").sample("client", "refused").orElseThrow().value());
            assertTrue(families.get("sepl_connector_connect_failures_total").sample("client", "refused").orElseThrow()
                    .value() >= 2);

            for (ObjectName name : new ObjectName[] { goodName, refusedName }) {
                for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                    String value = String.valueOf(server.getAttribute(name, a.getName()));
                    assertFalse(value.contains(PASSWORD) || value.contains(WRONG_PASSWORD),
                            name + " " + a.getName() + " shows a password: " + value);
                }
                assertFalse(Arrays.toString(server.getMBeanInfo(name).getAttributes()).contains(PASSWORD));
            }
            String text = clients.prometheusText();
            assertFalse(text.contains(PASSWORD) || text.contains(WRONG_PASSWORD), "a password in the metrics:\n" + text);
            assertEquals(ConnectionState.READY, good.state());
        }
    }

    private static StandaloneConnectorClient client(PlatformEmulator platform, String password,
            InMemoryDeviceManager devices) {
        return ConnectorClient.builder()
                .transport("jdk")
                .platform("127.0.0.1", platform.port(), false)
                .credentials("alice", password)
                .requestTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .gatewayIdStore(GatewayIdStore.inMemory(""))
                .deviceManager(devices)
                .start();
    }

    private static void add(ClientMBeans beans, MonitoredClients clients, String name, ConnectorClient client,
            PlatformEmulator platform) {
        beans.add(client, name, client::status);
        clients.add(client, new MonitoredClients.Client(name, "127.0.0.1:" + platform.port(), client::status));
    }
}
