package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.DeliveryLedger.Refusal;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.FullPolicy;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.ledger.LedgerAudit;
import org.sepl.connector.store.memory.InMemoryOutbox;
import org.sepl.connector.store.sqlite.SqliteOutbox;
import org.sepl.connector.testkit.MovableClock;

/**
 * The loss ledger against the platform emulator: every event handed to the client is accounted for, through platform
 * restarts, lost answers, 5xx answers, a full outbox that drops its oldest, a gateway restart with a durable outbox,
 * outbox swaps both ways, and with the outbox disabled. Each figure is checked against what the callers were told.
 */
class LossLedgerUnderFaultsTest {

    private EmulatorFixture fixture;
    private DefaultConnectorClient client;
    private final LogCapture audit = new LogCapture(LedgerAudit.class);

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
        audit.close();
        assertTrue(audit.lines().isEmpty(), "the client's own audit found no defect: " + audit.lines());
    }

    private DeliveryLedger ledger() {
        return client.status().ledger();
    }

    /** What the callers of a stream were told, one count per outcome. */
    private record Told(long delivered, long rejected, long dropped, long expired, long other) {
        static Told of(List<CompletableFuture<Response>> answers) {
            long delivered = 0, rejected = 0, dropped = 0, expired = 0, other = 0;
            for (CompletableFuture<Response> a : answers) {
                try {
                    Response r = a.join();
                    if (r.isSuccess()) {
                        delivered++;
                    } else {
                        rejected++;
                    }
                } catch (CompletionException e) {
                    Reason why = e.getCause() instanceof ConnectorException ce ? ce.reason() : null;
                    if (why == Reason.DROPPED) {
                        dropped++;
                    } else if (why == Reason.EXPIRED) {
                        expired++;
                    } else {
                        other++;
                    }
                }
            }
            return new Told(delivered, rejected, dropped, expired, other);
        }
    }

    @Test
    void aStreamThroughRestartsLostAnswersServerErrorsAndAFullOutboxIsAccountedForEventByEvent() throws Exception {
        InMemoryOutbox outbox = new InMemoryOutbox(OutboxLimits.DEFAULT.withMaxMessages(400).withMaxBytes(64 * 1024)
                .withFullPolicy(FullPolicy.DROP_OLDEST));
        client = fixture.client().outbox(outbox).requestTimeout(Duration.ofMillis(500))
                .outboxRetryDelay(Duration.ofMillis(50)).maxRequestsInFlight(50).start();
        Await.until("ready", client::isReady);
        fixture.platform.faults().seed(27).failNext("event", 30, 503).dropAnswers("event", 0.02);

        int n = 3_000;
        List<CompletableFuture<Response>> answers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i == 1_000 || i == 2_000) {
                fixture.platform.restart(Duration.ofMillis(800)); // the outbox (400) overflows meanwhile
            }
            String device = i % 100 == 7 ? "no-such-device" : "meter-1"; // answered 400: rejected
            answers.add(client.sendEvent(device, "reading", Integer.toString(i), null).answered().toCompletableFuture());
            if (i % 4 == 0) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(2_000)); // about 2,000 events a second
            }
        }
        Delivery tooLarge = client.sendEvent("meter-1", "reading", "\"" + "x".repeat(70 * 1024) + "\"", null);
        fixture.platform.faults().clear();

        Await.until("every caller told", Duration.ofSeconds(60),
                () -> answers.stream().allMatch(CompletableFuture::isDone));
        Told told = Told.of(answers);
        Await.until("the outbox empty", () -> client.status().outbox().depth() == 0);

        DeliveryLedger l = ledger();
        System.out.println("ledger under faults: " + l + "; flow " + client.status().outboxFlow());
        assertEquals(0, told.other(), "every outcome is delivered, rejected, dropped or expired: " + told);
        assertTrue(told.dropped() > 0, "the full outbox dropped its oldest during the restarts: " + told);
        assertTrue(told.rejected() > 0 && told.rejected() <= n / 100, "one in a hundred to an unknown device, but "
                + "for those dropped: " + told);
        assertEquals(n + 1, l.offered());
        assertEquals(1, l.refusedTotal());
        assertEquals(1, l.refused(Refusal.TOO_LARGE));
        assertEquals(Reason.REFUSED, reason(tooLarge.stored().toCompletableFuture()));
        assertEquals(n, l.stored());
        assertEquals(0, l.recovered());
        assertEquals(n, l.delivered() + l.rejected() + l.dropped() + l.expired(), "each stored event left once");
        // the ledger counts how each event left the outbox; a caller hears the first outcome known, so an event the
        // outbox dropped while it was on the wire is dropped in the ledger and answered (200 or 400) to its caller
        long droppedOnTheWire = l.dropped() - told.dropped();
        assertTrue(droppedOnTheWire >= 0, told + " / " + l);
        assertEquals(told.delivered() + told.rejected(), l.delivered() + l.rejected() + droppedOnTheWire);
        assertTrue(told.delivered() >= l.delivered() && told.rejected() >= l.rejected(), told + " / " + l);
        assertEquals(told.expired(), l.expired());
        assertEquals(0, l.leftBehind());
        assertEquals(0, l.unanswered());
        assertEquals(0, l.pending());
        assertTrue(l.balanced(), l.toString());

        OutboxStatus own = client.status().outbox();
        assertEquals(own.delivered(), l.delivered(), "the outbox's own counters agree");
        assertEquals(own.rejected(), l.rejected());
        assertEquals(own.dropped(), l.dropped());
        assertEquals(own.stored(), l.stored());
        // what the platform recorded: every delivered event, and at most those the outbox dropped after the
        // platform had applied them without its answer arriving
        Set<String> recorded = new HashSet<>();
        for (PlatformEmulator.Event e : fixture.platform.events()) {
            if (e.deviceUri().equals("meter-1") && e.status() == 200) {
                recorded.add(String.valueOf(e.data()));
            }
        }
        assertTrue(recorded.size() >= l.delivered() && recorded.size() <= l.delivered() + l.dropped(),
                recorded.size() + " recorded by the platform; " + l);
        // the flow is sampled about once a second: a rate needs two samples
        Await.until("the outbox flow shows the ingest", () -> client.status().outboxFlow().ingestPerSecond() > 0);
    }

    @Test
    void aDurableOutboxsMessagesFromBeforeARestartAreRecoveredAndDelivered(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("outbox.db");
        SqliteOutbox before = SqliteOutbox.open(file);
        client = fixture.client().outbox(before).build(); // never connects: the gateway stops before it could send
        List<CompletableFuture<Void>> stored = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            stored.add(client.sendEvent("meter-1", "reading", "before-" + i, null).stored().toCompletableFuture());
        }
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        DeliveryLedger first = ledger();
        assertEquals(50, first.offered());
        assertEquals(50, first.stored());
        assertEquals(50, first.pending());
        assertTrue(first.balanced(), first.toString());
        client.close();
        before.close();

        try (SqliteOutbox after = SqliteOutbox.open(file)) {
            client = fixture.client().outbox(after).start();
            Await.until("recovered messages delivered", () -> ledger().delivered() == 50);
            for (int i = 0; i < 10; i++) {
                assertEquals(200, client.event("meter-1", "reading", "after-" + i, null).status());
            }
            Await.until("all settled", () -> ledger().delivered() == 60 && client.status().outbox().depth() == 0);
            DeliveryLedger l = ledger();
            assertEquals(10, l.offered(), "counted since this client was built");
            assertEquals(10, l.stored());
            assertEquals(50, l.recovered(), "found in the durable outbox");
            assertEquals(60, l.delivered());
            assertEquals(0, l.pending());
            assertTrue(l.balanced(), l.toString());
            client.close();
            client = null;
        }
    }

    @Test
    void swapsBothWaysMoveOrLeaveMessagesAndTheLedgerSaysWhich(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("outbox.db");
        try (SqliteOutbox old = SqliteOutbox.open(file)) { // five messages from an earlier run
            DefaultConnectorClient earlier = fixture.client().outbox(old).build();
            for (int i = 0; i < 5; i++) {
                earlier.sendEvent("meter-1", "reading", "earlier-" + i, null).stored().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            }
            earlier.close();
        }
        ClientAssembly assembly = fixture.client().outbox(new InMemoryOutbox()).assemble();
        client = assembly.client(); // not started: nothing leaves while the outboxes change
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Delivery d = client.sendEvent("meter-1", "reading", "memory-" + i, null);
            d.stored().toCompletableFuture().get(10, TimeUnit.SECONDS);
            answers.add(d.answered().toCompletableFuture());
        }
        try (SqliteOutbox durable = SqliteOutbox.open(file)) {
            assembly.outbox(durable); // in memory -> SQLite: the 20 move over, the 5 are recovered
            // the new outbox holds the copies before the ledger has counted each move
            Await.until("moved", () -> client.status().outbox().depth() == 25 && ledger().leftBehind() == 0);
            DeliveryLedger moved = ledger();
            assertEquals(20, moved.stored());
            assertEquals(5, moved.recovered());
            assertEquals(0, moved.leftBehind());
            assertEquals(25, moved.pending());
            assertTrue(moved.balanced(), moved.toString());

            for (int i = 0; i < 3; i++) {
                client.sendEvent("meter-1", "reading", "durable-" + i, null).stored().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            }
            assembly.outbox(new InMemoryOutbox()); // SQLite -> in memory: the durable one keeps its 28
            Await.until("swapped", () -> client.status().outbox().depth() == 0);
            DeliveryLedger left = ledger();
            assertEquals(28, left.leftBehind());
            assertEquals(0, left.pending());
            assertTrue(left.balanced(), left.toString());
            ConnectorException told = assertInstanceOf(ConnectorException.class,
                    assertThrows(CompletionException.class, () -> answers.get(0).join()).getCause());
            assertEquals(Reason.CLOSED, told.reason(), "its caller learns the durable outbox keeps it");

            client.sendEvent("meter-1", "reading", "memory-again", null);
            client.start();
            Await.until("delivered", () -> ledger().delivered() == 1 && client.status().outbox().depth() == 0);
            DeliveryLedger l = ledger();
            assertEquals(24, l.offered());
            assertEquals(24, l.stored());
            assertEquals(5, l.recovered());
            assertEquals(1, l.delivered());
            assertEquals(28, l.leftBehind());
            assertTrue(l.balanced(), l.toString());
            client.close();
            client = null;
            assertEquals(28, durable.status().depth(), "left behind is where the ledger says");
        }
    }

    @Test
    void anEventThatExpiresWhileItsOutboxIsMovedIsCountedAndItsCallerTold() throws Exception {
        MovableClock clock = MovableClock.at(Instant.parse("2026-12-05T00:00:00Z"));
        ClientAssembly assembly = fixture.client()
                .outbox(new InMemoryOutbox(OutboxLimits.DEFAULT.withMaxAge(Duration.ofHours(1)), clock)).assemble();
        client = assembly.client();
        Delivery old = client.sendEvent("meter-1", "reading", "old", null);
        old.stored().toCompletableFuture().get(10, TimeUnit.SECONDS);
        clock.advance(Duration.ofHours(2)); // older than the outbox's maximum age, and nobody looked yet
        assembly.outbox(new InMemoryOutbox()); // the move reads the old outbox, which expires it

        assertEquals(Reason.EXPIRED, reason(old.answered().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)));
        DeliveryLedger l = ledger();
        assertEquals(1, l.expired());
        assertEquals(0, l.leftBehind());
        assertEquals(0, l.pending());
        assertTrue(l.balanced(), l.toString());
    }

    @Test
    void withTheOutboxDisabledTheWireIsAccountedFor() throws Exception {
        client = fixture.client().outboxDisabled().requestTimeout(Duration.ofMillis(300)).build();
        assertEquals(Reason.NOT_CONNECTED, reason(client.eventAsync("meter-1", "reading", "early", null)
                .toCompletableFuture()));
        client.start();
        Await.until("ready", client::isReady);
        assertEquals(200, client.event("meter-1", "reading", "1", null).status());
        assertEquals(400, client.event("no-such-device", "reading", "2", null).status());
        fixture.platform.faults().dropNext("event", 1);
        assertEquals(Reason.TIMEOUT, reason(client.eventAsync("meter-1", "reading", "3", null).toCompletableFuture()));

        Await.until("counted", () -> ledger().unanswered() == 1);
        DeliveryLedger l = ledger();
        assertEquals(4, l.offered());
        assertEquals(1, l.refused(Refusal.NOT_CONNECTED));
        assertEquals(3, l.stored(), "sent");
        assertEquals(1, l.delivered());
        assertEquals(1, l.rejected());
        assertEquals(1, l.unanswered());
        assertEquals(0, l.pending());
        assertTrue(l.balanced(), l.toString());
        assertNull(client.status().outbox());
        assertNull(client.status().outboxFlow());
        assertNotNull(client.status().ledger());
    }

    private static Reason reason(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(ConnectorException.class, e.getCause()).reason();
    }
}
