package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
import org.sepl.connector.store.sqlite.SqliteOutbox;

/** The send path through the outbox, against the platform emulator: what a gateway accepted reaches the platform. */
@ParameterizedClass
@ValueSource(strings = { "tyrus", "jdk" })
class OutboxDeliveryTest {

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
    void afterASwapToAFreshOutboxItsEventsAreSentAlthoughItsIdsStartAgainAtOne() throws Exception {
        InMemoryOutbox first = new InMemoryOutbox(OutboxLimits.DEFAULT);
        ClientAssembly assembly = fixture.client().outbox(first).assemble();
        client = assembly.client();
        client.start();
        Await.until("ready", client::isReady);
        for (int i = 0; i < 50; i++) {
            assertEquals(200, client.event("meter-1", "reading", "old-" + i, null).status());
        }
        // as when the SQLite outbox bundle starts: a new, empty outbox numbers its messages from 1 again
        assembly.outbox(new InMemoryOutbox(OutboxLimits.DEFAULT));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, client.event("meter-1", "reading", "new-" + i, null).status(), "event " + i);
        }
        assembly.outbox(first); // back to the first outbox, whose ids went on from 50
        assertEquals(200, client.event("meter-1", "reading", "own-again", null).status());
        assertEquals(54, dataOf("meter-1").size(), dataOf("meter-1").toString());
    }

    @Test
    void aFinalErrorAnswerIsReportedAndNotRetried() throws Exception {
        client = fixture.readyClient();
        Response rejected = client.event("no-such-device", "reading", "1", null);
        assertEquals(400, rejected.status(), "the platform's answer is the caller's");
        assertEquals(200, client.event("meter-1", "reading", "after", null).status());
        // a blocking call returns with the answer; the outbox lane settles the message right after
        Await.until("both settled", () -> client.status().outbox().depth() == 0);
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

    /** The outboxes the outage test runs with: the client's default, and the durable one a user plugs in. */
    enum OutboxKind {
        DEFAULT_IN_MEMORY, SQLITE
    }

    /**
     * Three platform restarts (each refusing connections for 1 s) while a producer sends 10,000 events at a steady
     * 2,000/s, sending on through the outages: every event is recorded by the platform. Duplicates are only possible
     * for events in flight when a link dropped, so there are at most three windows of them.
     */
    @ParameterizedTest
    @EnumSource(OutboxKind.class)
    void tenThousandEventsSurviveThreePlatformRestarts(OutboxKind kind, @TempDir Path dir) throws Exception {
        int n = 10_000;
        int eventsPerSecond = 2_000;
        int window = 100;
        int[] restartAfterSent = {1_500, 4_500, 7_500}; // 0.75 s, 2.25 s, 3.75 s into the 5 s stream
        Duration down = Duration.ofSeconds(1);
        SqliteOutbox durable = kind == OutboxKind.SQLITE ? SqliteOutbox.open(dir.resolve("outbox.db")) : null;
        try {
            ConnectorClientBuilder builder = fixture.client().maxRequestsInFlight(window);
            client = (durable == null ? builder : builder.outbox(durable)).start();
            Await.until("ready", client::isReady);
            SteadyProducer producer = new SteadyProducer(client, n, eventsPerSecond);
            producer.start();
            for (int afterSent : restartAfterSent) {
                Await.until(afterSent + " events sent", () -> producer.sent() >= afterSent);
                long attemptsBefore = fixture.platform.connectionAttempts();
                long downSince = System.nanoTime();
                fixture.platform.refuseConnections(down);
                fixture.platform.closeAllSessions();
                Await.until("down after " + afterSent + " events sent", () -> !client.isReady());
                Await.until("ready again after the restart at " + afterSent, client::isReady);
                Duration wasDown = Duration.ofNanos(System.nanoTime() - downSince);
                long attempts = fixture.platform.connectionAttempts() - attemptsBefore;
                assertTrue(wasDown.compareTo(down.minusMillis(50)) >= 0, "refused for about 1 s, was down " + wasDown);
                assertTrue(attempts >= 2, "connections refused, then one accepted: " + attempts + " attempts");
            }
            producer.join(Duration.ofSeconds(30));
            List<CompletableFuture<Response>> answers = producer.answers();
            Await.until("all 10,000 answered", Duration.ofSeconds(30),
                    () -> answers.stream().allMatch(CompletableFuture::isDone));
            for (CompletableFuture<Response> a : answers) {
                assertEquals(200, a.join().status());
            }
            List<String> recorded = dataOf("meter-1");
            List<String> firstSeen = new ArrayList<>(new LinkedHashSet<>(recorded));
            int duplicates = recorded.size() - firstSeen.size();
            System.out.printf("outage test (%s): %d recorded, %d distinct, %d duplicates%n", kind, recorded.size(),
                    firstSeen.size(), duplicates);
            assertEquals(n, firstSeen.size(), "every event recorded by the platform");
            assertEquals(expectedData(n), firstSeen, "first seen in the order accepted");
            assertTrue(duplicates <= restartAfterSent.length * window,
                    duplicates + " duplicates, more than the " + restartAfterSent.length + " windows of " + window
                            + " in flight when the links dropped");
            Await.until("outbox empty", () -> client.status().outbox().depth() == 0);
        } finally {
            if (client != null) {
                client.close();
                client = null;
            }
            if (durable != null) {
                durable.close();
            }
        }
    }

    private static List<String> expectedData(int n) {
        List<String> expected = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            expected.add(Integer.toString(i));
        }
        return expected;
    }

    /** Sends event i at start + i / rate, whatever the link does, as a gateway's devices do. */
    private static final class SteadyProducer {
        private final DefaultConnectorClient client;
        private final int n;
        private final long periodNanos;
        private final List<CompletableFuture<Response>> answers;
        private final AtomicInteger sent = new AtomicInteger();
        private final Thread thread;
        private volatile Throwable failure;

        SteadyProducer(DefaultConnectorClient client, int n, int perSecond) {
            this.client = client;
            this.n = n;
            this.periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
            this.answers = new ArrayList<>(n);
            this.thread = new Thread(this::run, "steady-producer");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long wait = start + i * periodNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    Delivery d = client.sendEvent("meter-1", "reading", Integer.toString(i), null);
                    answers.add(d.answered().toCompletableFuture());
                    sent.incrementAndGet();
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        int sent() {
            if (failure != null) {
                throw new AssertionError("the producer failed after " + sent.get() + " events", failure);
            }
            return sent.get();
        }

        void join(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            assertFalse(thread.isAlive(), "the producer is still sending after " + timeout);
            assertEquals(n, sent(), "all handed over");
        }

        /** Only after {@link #join}: the list is the producer thread's. */
        List<CompletableFuture<Response>> answers() {
            return answers;
        }
    }
}
