package org.sepl.connector.impl;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * Everything a {@link DefaultConnectorClient} needs to know about its platform account, validated.
 *
 * @param sslContext trust for wss; {@code null} means the JVM's default
 */
public record ClientSettings(String host, int port, boolean encryption, String user, String password,
        Duration requestTimeout, Duration reconnectInitialDelay, Duration reconnectMaxDelay,
        Duration keepAliveInterval, Duration keepAliveTimeout, int maxRequestsInFlight, int commandQueueSize,
        SSLContext sslContext) {

    /**
     * @throws IllegalArgumentException naming the setting that is invalid
     */
    public ClientSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be set");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        Objects.requireNonNull(user, "user must not be null");
        Objects.requireNonNull(password, "password must not be null");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(reconnectInitialDelay, "reconnectInitialDelay");
        requirePositive(reconnectMaxDelay, "reconnectMaxDelay");
        requirePositive(keepAliveInterval, "keepAliveInterval");
        requirePositive(keepAliveTimeout, "keepAliveTimeout");
        if (reconnectMaxDelay.compareTo(reconnectInitialDelay) < 0) {
            throw new IllegalArgumentException("reconnectMaxDelay (" + reconnectMaxDelay
                    + ") must not be smaller than reconnectInitialDelay (" + reconnectInitialDelay + ")");
        }
        if (maxRequestsInFlight < 1) {
            throw new IllegalArgumentException("maxRequestsInFlight must be at least 1, was " + maxRequestsInFlight);
        }
        if (commandQueueSize < 1) {
            throw new IllegalArgumentException("commandQueueSize must be at least 1, was " + commandQueueSize);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, () -> name + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** @return {@code ws://host:port/} or {@code wss://host:port/} */
    public URI uri() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create((encryption ? "wss" : "ws") + "://" + h + ":" + port + "/");
    }

    /** The password is left out, so that settings can be logged. */
    @Override
    public String toString() {
        return "ClientSettings[" + uri() + ", user=" + user + ", requestTimeout=" + requestTimeout
                + ", reconnect=" + reconnectInitialDelay + ".." + reconnectMaxDelay + ", keepAlive="
                + keepAliveInterval + "/" + keepAliveTimeout + ", maxRequestsInFlight=" + maxRequestsInFlight
                + ", commandQueueSize=" + commandQueueSize + "]";
    }
}
