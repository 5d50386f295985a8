package org.sepl.connector.api;

import java.time.Instant;

import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;

/**
 * A snapshot of a client's health, for consoles and monitoring.
 *
 * @param state            the connection state
 * @param gatewayId        the gateway id, or empty before the first handshake
 * @param requestsInFlight requests sent and not yet answered
 * @param commandsQueued   commands waiting in the {@link ConnectorClient#receive()} queue
 * @param lastError        the last connection error, for humans (never a secret), or null
 * @param stateSince       when the client entered {@code state}
 * @param outbox           the client's outbox: depth, oldest age, stored/delivered/rejected/dropped/expired/refused
 *                         counters; null when the outbox is disabled (since 1.2)
 * @param ledger           where every event and answer handed to the client went since it was built, and whether
 *                         that balances; null only from the older constructors (since 1.3)
 * @param outboxFlow       the outbox's ingest and drain rates and, while it fills, the time until it is full; null
 *                         when the outbox is disabled (since 1.3)
 * @param connections      how often the client connected, lost its connection and failed to connect; null only from
 *                         the shorter constructors (since 1.3)
 * @param roundTrips       how long the platform takes to answer requests; null only from the shorter constructors
 *                         (since 1.3)
 */
public record ClientStatus(ConnectionState state, String gatewayId, int requestsInFlight, int commandsQueued,
        String lastError, Instant stateSince, OutboxStatus outbox, DeliveryLedger ledger, OutboxFlow outboxFlow,
        ConnectionCounts connections, RoundTrips roundTrips) {

    /** A status without an outbox (the constructor of 1.1, kept for source compatibility). */
    public ClientStatus(ConnectionState state, String gatewayId, int requestsInFlight, int commandsQueued,
            String lastError, Instant stateSince) {
        this(state, gatewayId, requestsInFlight, commandsQueued, lastError, stateSince, null, null, null, null, null);
    }

    /** A status without a ledger or flow (the constructor of 1.2, kept for source compatibility). */
    public ClientStatus(ConnectionState state, String gatewayId, int requestsInFlight, int commandsQueued,
            String lastError, Instant stateSince, OutboxStatus outbox) {
        this(state, gatewayId, requestsInFlight, commandsQueued, lastError, stateSince, outbox, null, null, null, null);
    }

    /** A status without connection counts or round trips (for tests and stand-ins of a client). */
    public ClientStatus(ConnectionState state, String gatewayId, int requestsInFlight, int commandsQueued,
            String lastError, Instant stateSince, OutboxStatus outbox, DeliveryLedger ledger, OutboxFlow outboxFlow) {
        this(state, gatewayId, requestsInFlight, commandsQueued, lastError, stateSince, outbox, ledger, outboxFlow,
                null, null);
    }
}
