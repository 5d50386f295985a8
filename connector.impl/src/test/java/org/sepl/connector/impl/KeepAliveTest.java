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
        platform.answerPings = false;
        ClientSettings settings = new ClientSettings("localhost", 1, false, "alice", "secret", Duration.ofSeconds(5),
                Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(100), 10, 10, null);
        try (DefaultConnectorClient client = new DefaultConnectorClient(settings, GatewayIdStore.inMemory(""), platform,
                new InMemoryDeviceManager())) {
            client.start();
            platform.acceptHandshake(Device.EMPTY_GATEWAY_HASH);
            Await.until("ready", client::isReady);
            // nothing arrives any more, pings go unanswered: the client must give up the link and log in again
            assertEquals("credentials", platform.next().get("token").getAsString());
            assertTrue(client.status().lastError().contains("no pong"), client.status().lastError());
        }
    }
}
