package org.sepl.connector.api;

import java.time.Instant;

/**
 * A snapshot of a client's health, for consoles and monitoring.
 *
 * @param state            the connection state
 * @param gatewayId        the gateway id, or empty before the first handshake
 * @param requestsInFlight requests sent and not yet answered
 * @param commandsQueued   commands waiting in the {@link ConnectorClient#receive()} queue
 * @param lastError        the last connection error, for humans (never a secret), or null
 * @param stateSince       when the client entered {@code state}
 */
public record ClientStatus(ConnectionState state, String gatewayId, int requestsInFlight, int commandsQueued,
        String lastError, Instant stateSince) {
}
