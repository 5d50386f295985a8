package org.sepl.connector.impl.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectionCounts;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.api.StandaloneConnectorClient;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.Await;
import org.sepl.connector.impl.ConnectorClientBuilder;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/** The connection counts and round trips of {@code ClientStatus}, against the platform emulator. */
class ConnectionCountsTest {

    @Test
    void aPlatformRestartIsOneLostConnectionAndOneReconnect() throws Exception {
        try (PlatformEmulator platform = PlatformEmulator.builder().user("alice", "secret").start();
                StandaloneConnectorClient client = client(platform, "secret")) {
            Await.until("ready", client::isReady);
            assertEquals(new ConnectionCounts(1, 0, 0), client.status().connections());
            assertTrue(client.status().roundTrips().count() >= 1, "the synchronisation's requests were answered");

            platform.restart(Duration.ofMillis(100));
            Await.until("ready again", () -> client.status().connections().established() == 2 && client.isReady());
            ConnectionCounts counts = client.status().connections();
            assertEquals(1, counts.lost());
            assertEquals(1, counts.reconnects());
        }
    }

    @Test
    void aRefusedPasswordCountsFailedAttempts() throws Exception {
        try (PlatformEmulator platform = PlatformEmulator.builder().user("alice", "secret").start();
                StandaloneConnectorClient client = client(platform, "wrong")) {
            Await.until("two failed attempts", () -> client.status().connections().failedAttempts() >= 2);
            assertEquals(0, client.status().connections().established());
            assertEquals(0, client.status().connections().lost());
        }
    }

    private static StandaloneConnectorClient client(PlatformEmulator platform, String password) {
        StandaloneConnectorClient client = new ConnectorClientBuilder()
                .platform("127.0.0.1", platform.port(), false)
                .credentials("alice", password)
                .requestTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .gatewayIdStore(GatewayIdStore.inMemory(""))
                .deviceManager(new InMemoryDeviceManager())
                .build();
        client.start();
        return client;
    }
}
