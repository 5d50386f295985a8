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
        try (DefaultConnectorClient client = platform.client("alice", "secret").maxRequestsInFlight(10)
                .keepAlive(Duration.ofMillis(100), Duration.ofMillis(100)).build()) {
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
