package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Device;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

class KeepAliveTest {

    @Test
    void aConnectionThatStopsAnsweringPingsIsDroppedAndReplaced() throws Exception {
        FakeTransport platform = new FakeTransport();
                ClientSettings settings = new ClientSettings("localhost", 1, false, "alice", "secret", Duration.ofSeconds(5),
                Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(100), 10, 10, null);
        try (DefaultConnectorClient client = new DefaultConnectorClient(settings, GatewayIdStore.inMemory(""), platform,
                new InMemoryDeviceManager())) {
            java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
            client.addConnectionListener(new org.sepl.connector.api.ConnectionListener() {
                @Override
                public void connected(String gatewayId) {
                    connected.countDown();
                }

                @Override
                public void disconnected(String reason) {
                }
            });
            client.start();
            platform.acceptHandshake(Device.EMPTY_GATEWAY_HASH);
            assertTrue(connected.await(10, java.util.concurrent.TimeUnit.SECONDS), "ready once");
            platform.answerPings = false; // from now on the platform is silent
            // nothing arrives any more, pings go unanswered: the client must give up the link and log in again
            assertEquals("credentials", platform.next().get("token").getAsString());
            assertTrue(client.status().lastError().contains("no pong"), client.status().lastError());
        }
    }
}
