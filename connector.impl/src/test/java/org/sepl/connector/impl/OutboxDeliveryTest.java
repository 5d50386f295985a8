package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.FullPolicy;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxRefusedException;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.api.outbox.RefusalReason;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryOutbox;

/** The send path through the outbox, against the platform emulator: what a gateway accepted reaches the platform. */
class OutboxDeliveryTest {

    private EmulatorFixture fixture;
    private DefaultConnectorClient client;

    @BeforeEach
    void start() throws Exception {
        fixture = new EmulatorFixture();
        fixture.devices.add(new Device("meter-1", "iot#meter", "Meter"));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        fixture.close();
    }

    private List<String> dataOf(String deviceId) {
        List<String> data = new ArrayList<>();
        for (PlatformEmulator.Event e : fixture.platform.events()) {
            if (e.deviceUri().equals(deviceId) && e.status() == 200) {
                data.add(String.valueOf(e.data()));
            }
        }
        return data;
    }

    private static Reason reasonOf(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(ConnectorException.class, e.getCause()).reason();
    }

    @Test
    void eventsStoredWhileDisconnectedAreReplayedInAcceptedOrder() throws Exception {
        client = fixture.readyClient();
        fixture.platform.refuseConnections(Duration.ofMillis(500));
        fixture.platform.closeAllSessions();
        Await.until("disconnected", () -> !client.isReady());
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Delivery d = client.sendEvent("meter-1", "reading", Integer.toString(i), null);
            d.stored().toCompletableFuture().get(5, TimeUnit.SECONDS);
            answers.add(d.answered().toCompletableFuture());
        }
        assertEquals(200, client.status().outbox().depth(), "all stored");
        Await.until("ready again", client::isReady);
        for (CompletableFuture<Response> a : answers) {
            assertEquals(200, a.get(10, TimeUnit.SECONDS).status());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(Integer.toString(i));
        }
        assertEquals(expected, dataOf("meter-1"), "replayed in the order accepted, once each");
        Await.until("outbox empty", () -> client.status().outbox().depth() == 0);
    }

    @Test
    void aFinalErrorAnswerIsReportedAndNotRetried() throws Exception {
        client = fixture.readyClient();
        Response rejected = client.event("no-such-device", "reading", "1", null);
        assertEquals(400, rejected.status(), "the platform's answer is the caller's");
        assertEquals(200, client.event("meter-1", "reading", "after", null).status());
        OutboxStatus s = client.status().outbox();
        assertEquals(1, s.rejected());
        assertEquals(0, s.depth(), "settled: never sent again");
        assertEquals(1, fixture.platform.events().stream().filter(e -> e.deviceUri().equals("no-such-device")).count());
    }

    @Test
    void aServerErrorLeavesTheEventPendingAndItIsSentAgain() throws Exception {
        client = fixture.readyClient();
        fixture.platform.faults().failNext("event", 1, 500);
        Response answer = client.event("meter-1", "reading", "retried", null);
        assertEquals(200, answer.status(), "the 500 is retried; the caller gets the final answer");
        assertTrue(fixture.platform.requestCount("event") >= 2);
        assertEquals(List.of("retried"), dataOf("meter-1"));
    }

    @Test
    void aFullOutboxRefusesWithTheReasonAndLosesNothingStored() throws Exception {
        client = fixture.client().outbox(new InMemoryOutbox(OutboxLimits.DEFAULT.withMaxMessages(2)
                .withFullPolicy(FullPolicy.REFUSE_NEW))).build();
        Delivery first = client.sendEvent("meter-1", "reading", "1", null);
        Delivery second = client.sendEvent("meter-1", "reading", "2", null);
        Delivery third = client.sendEvent("meter-1", "reading", "3", null);
        first.stored().toCompletableFuture().get(5, TimeUnit.SECONDS);
        second.stored().toCompletableFuture().get(5, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> third.stored().toCompletableFuture().get(5, TimeUnit.SECONDS));
        ConnectorException refused = assertInstanceOf(ConnectorException.class, e.getCause());
        assertEquals(Reason.REFUSED, refused.reason());
        assertEquals(RefusalReason.FULL, assertInstanceOf(OutboxRefusedException.class, refused.getCause()).reason());
        assertTrue(refused.getMessage().contains("full"), refused.getMessage());
        assertEquals(Reason.REFUSED, reasonOf(third.answered().toCompletableFuture()), "never sent");
        assertEquals(Reason.REFUSED, reasonOf(client.eventAsync("meter-1", "reading", "4", null).toCompletableFuture()));

        client.start();
        assertEquals(200, first.answered().toCompletableFuture().get(10, TimeUnit.SECONDS).status());
        assertEquals(200, second.answered().toCompletableFuture().get(10, TimeUnit.SECONDS).status());
        assertEquals(List.of("1", "2"), dataOf("meter-1"));
    }

    @Test
    void aTimeoutDoesNotCancelTheDeliveryOfAStoredEvent() throws Exception {
        client = fixture.client().build();
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> client.event("meter-1", "reading", "late", null, Duration.ofMillis(100)));
        assertEquals(Reason.TIMEOUT, e.reason());
        client.start();
        Await.until("delivered after the caller's timeout", () -> dataOf("meter-1").contains("late"));
    }

    @Test
    void commandAnswersGoThroughTheOutboxToo() throws Exception {
        client = fixture.readyClient();
        CompletableFuture<PlatformEmulator.CommandResponse> platformGot = fixture.platform.sendCommand("meter-1",
                "unclaimed", "x", null);
        org.sepl.connector.api.Command command = client.receive(Duration.ofSeconds(10)).orElseThrow();
        Delivery answer = client.sendResponse(command, "done", null);
        answer.stored().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(200, answer.answered().toCompletableFuture().get(10, TimeUnit.SECONDS).status());
        assertEquals(command.taskId(), platformGot.get(10, TimeUnit.SECONDS).taskId());
    }

    /** Three platform restarts (1 s down each) during 10,000 events at a steady rate: all of them arrive. */
    @Test
    void tenThousandEventsSurviveThreePlatformRestarts() throws Exception {
        int n = 10_000;
        client = fixture.client().rateLimit(2_000, 50).start();
        Await.until("ready", client::isReady);
        List<CompletableFuture<Response>> answers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            answers.add(client.sendEvent("meter-1", "reading", Integer.toString(i), null).answered().toCompletableFuture());
        }
        for (int restart = 1; restart <= 3; restart++) {
            int seen = fixture.platform.events().size();
            Await.until("more events before restart " + restart, () -> fixture.platform.events().size() > seen + 500);
            fixture.platform.refuseConnections(Duration.ofSeconds(1));
            fixture.platform.closeAllSessions();
            Await.until("down", () -> !client.isReady());
        }
        Await.until("all 10,000 answered", Duration.ofSeconds(30), () -> answers.stream().allMatch(CompletableFuture::isDone));
        for (CompletableFuture<Response> a : answers) {
            assertEquals(200, a.join().status());
        }
        Set<String> received = new HashSet<>(dataOf("meter-1"));
        assertEquals(n, received.size(), "every event recorded by the platform");
        assertFalse(client.status().outbox().depth() > 0, "outbox empty");
        assertTrue(fixture.platform.connectionAttempts() >= 4, "the platform was restarted");
    }
}
