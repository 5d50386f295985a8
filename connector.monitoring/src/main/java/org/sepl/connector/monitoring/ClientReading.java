package org.sepl.connector.monitoring;

import java.util.Objects;

import org.sepl.connector.api.ClientStatus;

/**
 * One client's status at one moment, with what tells it apart from other clients.
 *
 * @param client    the client's name: its configuration PID ({@code connector.config.pid})
 * @param platform  where it connects, {@code host:port} (never credentials), or empty when unknown
 * @param status    its status
 */
public record ClientReading(String client, String platform, ClientStatus status) {

    /** @throws NullPointerException if an argument is null */
    public ClientReading {
        Objects.requireNonNull(client, "client must not be null");
        Objects.requireNonNull(platform, "platform must not be null");
        Objects.requireNonNull(status, "status must not be null");
    }
}
