package org.sepl.connector.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.impl.ratelimit.RateLimitSettings;
import org.sepl.connector.impl.transport.JdkWebSocketTransport;

/**
 * Builds a {@link DefaultConnectorClient} without OSGi, with the same settings and defaults as the
 * {@code org.sepl.connector.client} configuration.
 *
 * <pre>{@code
 * DefaultConnectorClient client = new ConnectorClientBuilder()
 *         .platform("platform.example.org", 8080, false)
 *         .credentials("alice", "secret")
 *         .deviceManager(devices)
 *         .commandHandler(lamp, Map.of(CommandHandler.DEVICE_TYPE, "iot#lamp"))
 *         .start();
 * }</pre>
 */
public final class ConnectorClientBuilder {

    private record HandlerRegistration(CommandHandler handler, Map<String, ?> properties) {
    }

    private String host;
    private int port;
    private boolean encryption = ClientSettings.ENCRYPTION_DEFAULT;
    private String user;
    private String password;
    private Duration requestTimeout = Duration.ofMillis(ClientSettings.REQUEST_TIMEOUT_MILLIS_DEFAULT);
    private Duration reconnectInitialDelay = Duration.ofMillis(ClientSettings.RECONNECT_INITIAL_DELAY_MILLIS_DEFAULT);
    private Duration reconnectMaxDelay = Duration.ofMillis(ClientSettings.RECONNECT_MAX_DELAY_MILLIS_DEFAULT);
    private Duration keepAliveInterval = Duration.ofMillis(ClientSettings.KEEP_ALIVE_INTERVAL_MILLIS_DEFAULT);
    private Duration keepAliveTimeout = Duration.ofMillis(ClientSettings.KEEP_ALIVE_TIMEOUT_MILLIS_DEFAULT);
    private int maxRequestsInFlight = ClientSettings.MAX_REQUESTS_IN_FLIGHT_DEFAULT;
    private int commandQueueSize = ClientSettings.COMMAND_QUEUE_SIZE_DEFAULT;
    private int maxFrameBytes = ClientSettings.MAX_FRAME_BYTES_DEFAULT;
    private int requestTimeoutsBeforeReconnect = ClientSettings.REQUEST_TIMEOUTS_BEFORE_RECONNECT_DEFAULT;
    private Duration commandMaxAge = Duration.ofMillis(ClientSettings.COMMAND_MAX_AGE_MILLIS_DEFAULT);
    private Duration unclaimedCommandTimeout = Duration.ofMillis(ClientSettings.UNCLAIMED_COMMAND_TIMEOUT_MILLIS_DEFAULT);
    private SSLContext sslContext;
    private GatewayIdStore gatewayIdStore = GatewayIdStore.inMemory("");
    private DeviceManager deviceManager;
    private final List<HandlerRegistration> handlers = new ArrayList<>();
    private final List<ConnectionListener> listeners = new ArrayList<>();
    private Outbox outbox;
    private boolean outboxEnabled = ClientSettings.OUTBOX_ENABLED_DEFAULT;
    private double rateLimitAverage = ClientSettings.RATE_LIMIT_AVERAGE_DEFAULT;
    private int rateLimitBurst = ClientSettings.RATE_LIMIT_BURST_DEFAULT;
    private ClientResources resources;

    /** The platform's connector endpoint: {@code ws://host:port/}, or {@code wss://} with encryption. */
    public ConnectorClientBuilder platform(String host, int port, boolean encryption) {
        this.host = host;
        this.port = port;
        this.encryption = encryption;
        return this;
    }

    public ConnectorClientBuilder credentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    public ConnectorClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    public ConnectorClientBuilder reconnectDelay(Duration initial, Duration max) {
        this.reconnectInitialDelay = initial;
        this.reconnectMaxDelay = max;
        return this;
    }

    public ConnectorClientBuilder keepAlive(Duration interval, Duration timeout) {
        this.keepAliveInterval = interval;
        this.keepAliveTimeout = timeout;
        return this;
    }

    public ConnectorClientBuilder maxRequestsInFlight(int max) {
        this.maxRequestsInFlight = max;
        return this;
    }

    public ConnectorClientBuilder commandQueueSize(int size) {
        this.commandQueueSize = size;
        return this;
    }

    /** Largest frame accepted from the platform; default {@value ClientSettings#MAX_FRAME_BYTES_DEFAULT} bytes. */
    public ConnectorClientBuilder maxFrameBytes(int max) {
        this.maxFrameBytes = max;
        return this;
    }

    /** Consecutive request timeouts, with nothing received meanwhile, after which the client reconnects. */
    public ConnectorClientBuilder requestTimeoutsBeforeReconnect(int n) {
        this.requestTimeoutsBeforeReconnect = n;
        return this;
    }

    /** Commands older than this, or waiting longer than this for their handler, are answered with an error. */
    public ConnectorClientBuilder commandMaxAge(Duration age) {
        this.commandMaxAge = age;
        return this;
    }

    /** Commands no handler claims and nobody {@code receive()}s within this are answered with an error. */
    public ConnectorClientBuilder unclaimedCommandTimeout(Duration timeout) {
        this.unclaimedCommandTimeout = timeout;
        return this;
    }

    /** Trust for wss; without it the JVM's default trust store is used. Host names are always verified. */
    public ConnectorClientBuilder sslContext(SSLContext context) {
        this.sslContext = context;
        return this;
    }

    /** Where the gateway id is kept between runs; default: in memory only. */
    public ConnectorClientBuilder gatewayIdStore(GatewayIdStore store) {
        this.gatewayIdStore = Objects.requireNonNull(store, "store must not be null");
        return this;
    }

    public ConnectorClientBuilder deviceManager(DeviceManager manager) {
        this.deviceManager = manager;
        return this;
    }

    /** @param properties selection properties as described in {@link CommandHandler} */
    public ConnectorClientBuilder commandHandler(CommandHandler handler, Map<String, ?> properties) {
        handlers.add(new HandlerRegistration(Objects.requireNonNull(handler, "handler must not be null"), properties));
        return this;
    }

    /**
     * Sends events and command answers through this outbox (for example a durable {@code SqliteOutbox}); the default
     * is the client's own bounded in-memory outbox ({@code OutboxLimits.DEFAULT}). The caller keeps ownership: close
     * it after the client.
     */
    public ConnectorClientBuilder outbox(Outbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox must not be null");
        this.outboxEnabled = true;
        return this;
    }

    /**
     * No outbox: events and command answers are sent only while ready, else fail at once with {@code NOT_CONNECTED};
     * those in flight when the link drops fail with {@code CONNECTION_LOST} (the behaviour before 1.2).
     */
    public ConnectorClientBuilder outboxDisabled() {
        this.outbox = null;
        this.outboxEnabled = false;
        return this;
    }

    /**
     * Outgoing events at most {@code averagePerSecond} on average, with bursts of up to {@code burst}; events over
     * the rate wait in the outbox (delayed, never dropped). Default: no limit
     * ({@value ClientSettings#RATE_LIMIT_AVERAGE_DEFAULT}); {@code 0} switches it off. Allowed: a finite
     * {@code averagePerSecond} of at least {@value ClientSettings#RATE_LIMIT_AVERAGE_MIN}, a {@code burst} of at least
     * {@value ClientSettings#RATE_LIMIT_BURST_MIN} (checked by {@link #build()}).
     */
    public ConnectorClientBuilder rateLimit(double averagePerSecond, int burst) {
        this.rateLimitAverage = averagePerSecond;
        this.rateLimitBurst = burst;
        return this;
    }

    /**
     * Runs the client on threads shared with the other clients built with the same {@code resources} (many clients
     * in one JVM); default: threads of its own. The client does not close them: close {@code resources} after the
     * clients.
     */
    public ConnectorClientBuilder resources(ClientResources resources) {
        Objects.requireNonNull(resources, "resources must not be null");
        if (resources.isClosed()) {
            throw new IllegalArgumentException("resources is closed: pass open ClientResources");
        }
        this.resources = resources;
        return this;
    }

    public ConnectorClientBuilder connectionListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /**
     * @return a client that is not connecting yet: call {@link DefaultConnectorClient#start()}
     * @throws IllegalArgumentException naming the setting that is missing or invalid
     */
    public DefaultConnectorClient build() {
        ClientSettings settings = new ClientSettings(host, port, encryption, user, password, requestTimeout,
                reconnectInitialDelay, reconnectMaxDelay, keepAliveInterval, keepAliveTimeout, maxRequestsInFlight,
                commandQueueSize, maxFrameBytes, requestTimeoutsBeforeReconnect, commandMaxAge, unclaimedCommandTimeout,
                sslContext);
        if (deviceManager == null) {
            throw new IllegalArgumentException("deviceManager must be set");
        }
        RateLimitSettings.check(rateLimitAverage, rateLimitBurst);
        DefaultConnectorClient client = new DefaultConnectorClient(settings, gatewayIdStore,
                JdkWebSocketTransport.forClient(settings, resources == null ? null : resources.httpClients()),
                deviceManager, resources);
        handlers.forEach(h -> client.addCommandHandler(h.handler(), h.properties()));
        listeners.forEach(client::addConnectionListener);
        try {
            client.setRateLimit(rateLimitAverage, rateLimitBurst);
        } catch (IllegalArgumentException e) {
            client.close();
            throw e;
        }
        if (outbox != null) {
            client.setOutbox(outbox);
        }
        client.setOutboxEnabled(outboxEnabled);
        return client;
    }

    /** {@link #build()} and {@link DefaultConnectorClient#start()}. */
    public DefaultConnectorClient start() {
        DefaultConnectorClient client = build();
        client.start();
        return client;
    }
}
