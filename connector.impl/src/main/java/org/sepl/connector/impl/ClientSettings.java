package org.sepl.connector.impl;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * Every setting of a client, validated; the one place where their defaults and ranges are defined. The
 * {@code *_DEFAULT} constants are used by {@link ConnectorClientBuilder}, by the OSGi configuration's metatype
 * ({@code osgi.ClientConfiguration}) and by the settings table of the module's README.
 *
 * @param maxFrameBytes                    largest frame accepted from the platform
 * @param requestTimeoutsBeforeReconnect   consecutive request timeouts, with nothing received meanwhile, after
 *                                         which the connection is considered dead (it may still answer pings)
 * @param commandMaxAge                    a command older than this (its {@code time} field, or its wait for a
 *                                         handler) is not executed but answered with an error
 * @param unclaimedCommandTimeout          a command no handler claims and nobody {@code receive()}s within this is
 *                                         answered with an error
 * @param sslContext                       trust for wss; {@code null} means the JVM's default
 */
public record ClientSettings(String host, int port, boolean encryption, String user, String password,
        Duration requestTimeout, Duration reconnectInitialDelay, Duration reconnectMaxDelay,
        Duration keepAliveInterval, Duration keepAliveTimeout, int maxRequestsInFlight, int commandQueueSize,
        int maxFrameBytes, int requestTimeoutsBeforeReconnect, Duration commandMaxAge,
        Duration unclaimedCommandTimeout, SSLContext sslContext) {

    public static final boolean ENCRYPTION_DEFAULT = false;
    public static final long REQUEST_TIMEOUT_MILLIS_DEFAULT = 10_000;
    public static final long RECONNECT_INITIAL_DELAY_MILLIS_DEFAULT = 1_000;
    public static final long RECONNECT_MAX_DELAY_MILLIS_DEFAULT = 60_000;
    public static final long KEEP_ALIVE_INTERVAL_MILLIS_DEFAULT = 10_000;
    public static final long KEEP_ALIVE_TIMEOUT_MILLIS_DEFAULT = 10_000;
    public static final int MAX_REQUESTS_IN_FLIGHT_DEFAULT = 1_000;
    public static final int COMMAND_QUEUE_SIZE_DEFAULT = 1_000;
    /** 16 MiB: the largest message accepted from the platform; a larger one closes the connection (1009). */
    public static final int MAX_FRAME_BYTES_DEFAULT = 16 * 1024 * 1024;
    public static final int REQUEST_TIMEOUTS_BEFORE_RECONNECT_DEFAULT = 3;
    /** As the Go mgw connector: commands older than 30 s are not executed. */
    public static final long COMMAND_MAX_AGE_MILLIS_DEFAULT = 30_000;
    public static final long UNCLAIMED_COMMAND_TIMEOUT_MILLIS_DEFAULT = 30_000;

    /**
     * Events and command answers go through an outbox (the client's own bounded in-memory one unless another is
     * set): stored while the link is down and delivered at least once. Off: fail fast with {@code NOT_CONNECTED}.
     */
    public static final boolean OUTBOX_ENABLED_DEFAULT = true;
    /** Outgoing events per second on average; 0: no rate limit (the default). */
    public static final double RATE_LIMIT_AVERAGE_DEFAULT = 0;
    /** Events that may go at once after a quiet time, when a rate limit is set. */
    public static final int RATE_LIMIT_BURST_DEFAULT = 100;
    /** Smallest accepted {@code rateLimitAverage} (no limit); any larger finite rate is accepted. */
    public static final double RATE_LIMIT_AVERAGE_MIN = 0;
    /** Smallest accepted {@code rateLimitBurst}, also when no rate limit is set (a burst of 0 would send nothing). */
    public static final int RATE_LIMIT_BURST_MIN = 1;

    /** Smallest accepted {@code maxFrameBytes}: a frame must hold at least a command with some data. */
    public static final int MAX_FRAME_BYTES_MIN = 64 * 1024;

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
        requirePositive(commandMaxAge, "commandMaxAge");
        requirePositive(unclaimedCommandTimeout, "unclaimedCommandTimeout");
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
        if (maxFrameBytes < MAX_FRAME_BYTES_MIN) {
            throw new IllegalArgumentException("maxFrameBytes must be at least " + MAX_FRAME_BYTES_MIN + ", was " + maxFrameBytes);
        }
        if (requestTimeoutsBeforeReconnect < 1) {
            throw new IllegalArgumentException("requestTimeoutsBeforeReconnect must be at least 1, was "
                    + requestTimeoutsBeforeReconnect);
        }
    }

    /** The settings of 1.0 with the defaults for everything added since. */
    public ClientSettings(String host, int port, boolean encryption, String user, String password,
            Duration requestTimeout, Duration reconnectInitialDelay, Duration reconnectMaxDelay,
            Duration keepAliveInterval, Duration keepAliveTimeout, int maxRequestsInFlight, int commandQueueSize,
            SSLContext sslContext) {
        this(host, port, encryption, user, password, requestTimeout, reconnectInitialDelay, reconnectMaxDelay,
                keepAliveInterval, keepAliveTimeout, maxRequestsInFlight, commandQueueSize, MAX_FRAME_BYTES_DEFAULT,
                REQUEST_TIMEOUTS_BEFORE_RECONNECT_DEFAULT, Duration.ofMillis(COMMAND_MAX_AGE_MILLIS_DEFAULT),
                Duration.ofMillis(UNCLAIMED_COMMAND_TIMEOUT_MILLIS_DEFAULT), sslContext);
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

    /** @return {@code user@host:port}, for thread names and logs */
    public String account() {
        return user + "@" + host + ":" + port;
    }

    /** The password is left out, so that settings can be logged. */
    @Override
    public String toString() {
        return "ClientSettings[" + uri() + ", user=" + user + ", requestTimeout=" + requestTimeout
                + ", reconnect=" + reconnectInitialDelay + ".." + reconnectMaxDelay + ", keepAlive="
                + keepAliveInterval + "/" + keepAliveTimeout + ", maxRequestsInFlight=" + maxRequestsInFlight
                + ", commandQueueSize=" + commandQueueSize + ", maxFrameBytes=" + maxFrameBytes
                + ", requestTimeoutsBeforeReconnect=" + requestTimeoutsBeforeReconnect + ", commandMaxAge="
                + commandMaxAge + ", unclaimedCommandTimeout=" + unclaimedCommandTimeout + "]";
    }
}
