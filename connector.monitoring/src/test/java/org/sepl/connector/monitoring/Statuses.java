package org.sepl.connector.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectionCounts;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.RoundTrips;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;

/** Statuses with every figure set to a value of its own, so that a test can tell them apart. */
final class Statuses {

    static final Instant SINCE = Instant.parse("2026-12-05T04:00:00.250Z");

    private Statuses() {
    }

    /** A ready client with an outbox that fills, a ledger with refusals, connections and round trips. */
    static ClientStatus full() {
        return new ClientStatus(ConnectionState.READY, "gw-42", 7, 2, null, SINCE,
                new OutboxStatus(11, 1234, Duration.ofMillis(1500), 100, 80, 1, 3, 4, 5),
                new DeliveryLedger(120, Map.of(DeliveryLedger.Refusal.FULL, 3L, DeliveryLedger.Refusal.TOO_LARGE, 2L),
                        115, 6, 101, 1, 3, 4, 0, 0, 12),
                new OutboxFlow(12.5, 11.25, Duration.ofSeconds(600)),
                new ConnectionCounts(4, 3, 9),
                new RoundTrips(1000, Duration.ofMillis(2500), 40, Duration.ofNanos(1_500_000),
                        Duration.ofNanos(3_000_000), Duration.ofNanos(9_000_000), Duration.ofNanos(12_000_000)));
    }

    /** A client that never connected, with its outbox disabled and nothing measured. */
    static ClientStatus bare() {
        return new ClientStatus(ConnectionState.DISCONNECTED, "", 0, 0, "cannot connect to ws://x:1: refused", SINCE,
                null, new DeliveryLedger(0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0), null, ConnectionCounts.NONE,
                RoundTrips.NONE);
    }
}
