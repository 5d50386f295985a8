package org.sepl.connector.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.DeliveryLedger.Refusal;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.testkit.MovableClock;

/** The client service's status properties: what they hold, and that they change at most once per interval. */
class StatusPropertiesTest {

    private final MovableClock clock = MovableClock.at(Instant.parse("2026-12-03T00:00:00Z"));
    private final List<Dictionary<String, Object>> updates = new ArrayList<>();
    private final StatusProperties properties = new StatusProperties(fixed(), updates::add, clock);

    private static Dictionary<String, Object> fixed() {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("host", "platform.example.org");
        d.put("connector.config.pid", "org.sepl.connector.client~home");
        return d;
    }

    private static ClientStatus status(ConnectionState state, long depth, long oldestSeconds, long stored, long delivered,
            long dropped, long expired) {
        OutboxStatus outbox = new OutboxStatus(depth, depth * 100, Duration.ofSeconds(oldestSeconds), stored, delivered,
                0, dropped, expired, 0);
        return new ClientStatus(state, "gw-1", 0, 0, null, Instant.EPOCH, outbox);
    }

    @Test
    void theFirstChangeIsSetWithEveryStatusPropertyAndTheFixedOnes() {
        properties.accept(status(ConnectionState.READY, 3, 7, 10, 7, 1, 2));

        assertEquals(1, updates.size());
        Dictionary<String, Object> p = updates.get(0);
        assertEquals("READY", p.get(StatusProperties.STATE));
        assertEquals(3L, p.get(StatusProperties.DEPTH));
        assertEquals(7L, p.get(StatusProperties.OLDEST_AGE_SECONDS));
        assertEquals(10L, p.get(StatusProperties.STORED));
        assertEquals(7L, p.get(StatusProperties.DELIVERED));
        assertEquals(1L, p.get(StatusProperties.DROPPED));
        assertEquals(2L, p.get(StatusProperties.EXPIRED));
        assertEquals(0L, p.get(StatusProperties.REJECTED));
        assertEquals(0L, p.get(StatusProperties.REFUSED));
        assertEquals("platform.example.org", p.get("host"));
        assertEquals("org.sepl.connector.client~home", p.get("connector.config.pid"));
    }

    @Test
    void anUnchangedStatusSetsNothing() {
        properties.accept(status(ConnectionState.READY, 0, 0, 5, 5, 0, 0));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(5));
            properties.accept(status(ConnectionState.READY, 0, 0, 5, 5, 0, 0));
        }
        assertEquals(1, updates.size());
    }

    @Test
    void changesPerEventWithinTheIntervalMakeOneUpdateWithTheLatestValues() {
        properties.accept(status(ConnectionState.READY, 0, 0, 0, 0, 0, 0));
        // 1,000 events stored and delivered within 0.9 s, a check after each: no churn
        for (int i = 1; i <= 1_000; i++) {
            clock.advance(Duration.ofNanos(900_000));
            properties.accept(status(ConnectionState.READY, 1, 0, i, i - 1, 0, 0));
        }
        assertEquals(1, updates.size(), "held back within " + StatusProperties.MIN_UPDATE_INTERVAL);

        clock.advance(Duration.ofMillis(100)); // now the interval has passed
        properties.accept(status(ConnectionState.READY, 0, 0, 1_000, 1_000, 0, 0));
        assertEquals(2, updates.size());
        assertEquals(1_000L, updates.get(1).get(StatusProperties.DELIVERED));
        assertEquals(0L, updates.get(1).get(StatusProperties.DEPTH));

        // a change held back is set by the next check once the interval has passed, even with nothing new
        clock.advance(Duration.ofMillis(500));
        properties.accept(status(ConnectionState.DISCONNECTED, 0, 0, 1_000, 1_000, 0, 0));
        assertEquals(2, updates.size());
        clock.advance(StatusProperties.CHECK_PERIOD.multipliedBy(2));
        properties.accept(status(ConnectionState.DISCONNECTED, 0, 0, 1_000, 1_000, 0, 0));
        assertEquals(3, updates.size());
        assertEquals("DISCONNECTED", updates.get(2).get(StatusProperties.STATE));
    }

    @Test
    void theOldestAgeFollowsTheStatusAtMostOncePerInterval() {
        for (int second = 0; second < 10; second++) {
            for (int check = 0; check < 4; check++) {
                properties.accept(status(ConnectionState.CONNECTING, 5, second, 5, 0, 0, 0));
                clock.advance(StatusProperties.CHECK_PERIOD);
            }
        }
        assertEquals(10, updates.size(), "one per second as the oldest message ages");
        assertEquals(9L, updates.get(9).get(StatusProperties.OLDEST_AGE_SECONDS));
    }

    @Test
    void aClockSetBackDoesNotHoldTheUpdatesBack() {
        properties.accept(status(ConnectionState.READY, 0, 0, 1, 1, 0, 0));
        clock.advance(Duration.ofHours(-1));
        properties.accept(status(ConnectionState.READY, 0, 0, 2, 2, 0, 0));
        assertEquals(2, updates.size());
    }

    @Test
    void withoutAnOutboxOnlyTheStateIsSet() {
        properties.accept(status(ConnectionState.READY, 2, 1, 2, 0, 0, 0));
        clock.advance(StatusProperties.MIN_UPDATE_INTERVAL);
        properties.accept(new ClientStatus(ConnectionState.READY, "gw-1", 0, 0, null, Instant.EPOCH, null));

        assertEquals(2, updates.size());
        Dictionary<String, Object> p = updates.get(1);
        assertEquals("READY", p.get(StatusProperties.STATE));
        assertNull(p.get(StatusProperties.DEPTH));
        assertNull(p.get(StatusProperties.STORED));
        assertEquals("platform.example.org", p.get("host"));
    }

    @Test
    void theLedgerEveryRefusalReasonAndTheFlowAreSet() {
        OutboxStatus outbox = new OutboxStatus(3, 300, Duration.ZERO, 10, 7, 1, 0, 0, 2);
        DeliveryLedger ledger = new DeliveryLedger(12, Map.of(Refusal.FULL, 2L), 10, 1, 7, 1, 0, 0, 0, 0, 3);
        properties.accept(new ClientStatus(ConnectionState.READY, "gw-1", 0, 0, null, Instant.EPOCH, outbox, ledger,
                new OutboxFlow(12.34, 1, Duration.ofSeconds(300))));

        Dictionary<String, Object> p = updates.get(0);
        assertEquals(12L, p.get(StatusProperties.LEDGER_OFFERED));
        assertEquals(2L, p.get(StatusProperties.LEDGER_REFUSED));
        assertEquals(2L, p.get("ledger.refused.full"));
        assertEquals(0L, p.get("ledger.refused.too.large"));
        assertEquals(0L, p.get("ledger.refused.callbacks.blocked"));
        assertEquals(10L, p.get(StatusProperties.LEDGER_STORED));
        assertEquals(1L, p.get(StatusProperties.LEDGER_RECOVERED));
        assertEquals(7L, p.get(StatusProperties.LEDGER_DELIVERED));
        assertEquals(1L, p.get(StatusProperties.LEDGER_REJECTED));
        assertEquals(0L, p.get(StatusProperties.LEDGER_LEFT_BEHIND));
        assertEquals(3L, p.get(StatusProperties.LEDGER_PENDING));
        assertEquals(0L, p.get(StatusProperties.LEDGER_OUT_OF_BALANCE));
        assertEquals(12.3, p.get(StatusProperties.INGEST_PER_SECOND));
        assertEquals(1.0, p.get(StatusProperties.DRAIN_PER_SECOND));
        assertEquals(300L, p.get(StatusProperties.FULL_IN_SECONDS));

        clock.advance(StatusProperties.MIN_UPDATE_INTERVAL);
        properties.accept(new ClientStatus(ConnectionState.READY, "gw-1", 0, 0, null, Instant.EPOCH, outbox, ledger,
                new OutboxFlow(0, 4, null)));
        assertNull(updates.get(1).get(StatusProperties.FULL_IN_SECONDS), "not filling: no time until full");
    }
}
