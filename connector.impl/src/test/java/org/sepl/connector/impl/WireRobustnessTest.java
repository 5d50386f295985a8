package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.emulator.PlatformEmulator;

/** Against the emulator: large frames, a platform that stops answering, links lost with events in flight. */
@ParameterizedClass
@ValueSource(strings = { "tyrus", "jdk" })
class WireRobustnessTest {

    /** The suite runs over each transport. */
    @Parameter
    String transport;

    private EmulatorFixture fixture;
    private DefaultConnectorClient client;

    @BeforeEach
    void start() throws Exception {
        fixture = new EmulatorFixture(transport);
        fixture.devices.add(new Device("meter-1", "iot#meter", "Meter"));
        fixture.devices.add(new Device("lamp-1", "iot#lamp", "Lamp"));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        fixture.close();
    }

    @Test
    void aCommandOfEightMegabytesIsReceivedAndAnswered() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        client = fixture.client().commandHandler(c -> {
            sizes.add(c.data().length());
            return CommandResult.of("{\"ok\":true}");
        }, Map.of(CommandHandler.DEVICE_ID, "lamp-1")).start();
        Await.until("ready", client::isReady);
        String big = "x".repeat(8 * 1024 * 1024);
        PlatformEmulator.CommandResponse answer = fixture.platform.sendCommand("lamp-1", "set", big, null)
                .get(30, TimeUnit.SECONDS);
        assertEquals(List.of(big.length()), sizes);
        assertTrue(String.valueOf(answer.payload()).contains("ok"), String.valueOf(answer.payload()));
        assertTrue(client.isReady(), "the connection survived");
        assertEquals(1, fixture.platform.requestCount("handshake"));
    }

    @Test
    void aFrameOverTheConfiguredLimitDropsTheConnectionWithItsReasonAndTheClientReconnects() throws Exception {
        client = fixture.client().maxFrameBytes(64 * 1024).start();
        Await.until("ready", client::isReady);
        fixture.platform.sendCommand("lamp-1", "set", "x".repeat(100 * 1024), null); // never answered: too large
        Await.until("the connection dropped for the frame's size: " + client.status().lastError(),
                () -> String.valueOf(client.status().lastError()).contains("larger than 65536 bytes"));
        Await.until("connected again", () -> fixture.platform.requestCount("handshake") >= 2 && client.isReady());
        assertEquals(200, client.event("meter-1", "reading", "{}", null).status());
    }

    @Test
    void aPlatformThatAnswersPingsButNoRequestsIsLeftAndTheClientReconnects() throws Exception {
        client = fixture.client().requestTimeoutsBeforeReconnect(3).start();
        Await.until("ready", client::isReady);
        fixture.platform.faults().dropNext("event", 3);
        for (int i = 0; i < 3; i++) {
            client.eventAsync("meter-1", "reading", "{}", null, Duration.ofMillis(100));
        }
        Await.until("a second connection", () -> fixture.platform.requestCount("handshake") >= 2);
        Await.until("ready again", client::isReady);
        assertTrue(String.valueOf(client.status().lastError()).contains("stopped answering"), client.status().lastError());
        assertEquals(200, client.event("meter-1", "reading", "{}", null).status());
    }

    @Test
    void eventsInFlightWhenTheLinkDropsAreSentAgainAfterTheReconnect() throws Exception {
        client = fixture.client().start();
        Await.until("ready", client::isReady);
        fixture.platform.faults().dropNext("event", 1);
        CompletableFuture<Response> event = client.sendEvent("meter-1", "reading", "{\"kwh\":2}", null).answered()
                .toCompletableFuture();
        Await.until("the event reached the platform", () -> fixture.platform.requestCount("event") >= 1);
        fixture.platform.closeAllSessions();
        assertEquals(200, event.get(20, TimeUnit.SECONDS).status(), "sent again on the new link and answered");
        assertTrue(fixture.platform.requestCount("event") >= 2);
    }

    @Test
    void afterAShortPlatformOutageTheFirstReconnectComesQuickly() throws Exception {
        List<Long> reconnectedAfter = new CopyOnWriteArrayList<>();
        long[] lostAt = new long[1];
        client = fixture.client().reconnectDelay(Duration.ofSeconds(1), Duration.ofSeconds(60))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void connected(String gatewayId) {
                        if (lostAt[0] != 0) {
                            reconnectedAfter.add(System.nanoTime() - lostAt[0]);
                        }
                    }

                    @Override
                    public void disconnected(String reason) {
                        lostAt[0] = System.nanoTime();
                    }
                }).start();
        Await.until("ready", client::isReady);
        fixture.platform.closeAllSessions();
        Await.until("reconnected", Duration.ofSeconds(10), () -> !reconnectedAfter.isEmpty());
        // the first retry waits at most 250 ms (then 1 s, 2 s, ...): a platform that is back at once costs little
        assertTrue(reconnectedAfter.get(0) < TimeUnit.MILLISECONDS.toNanos(250 + 2000),
                "reconnected after " + reconnectedAfter.get(0) / 1_000_000 + " ms");
    }
}
