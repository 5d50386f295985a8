package org.sepl.connector.api;

import java.time.Instant;

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
 */
public record ClientStatus(ConnectionState state, String gatewayId, int requestsInFlight, int commandsQueued,
        String lastError, Instant stateSince, OutboxStatus outbox) {

    /** A status without an outbox (the constructor of 1.1, kept for source compatibility). */
    public ClientStatus(ConnectionState state, String gatewayId, int requestsInFlight, int commandsQueued,
            String lastError, Instant stateSince) {
        this(state, gatewayId, requestsInFlight, commandsQueued, lastError, stateSince, null);
    }
}
