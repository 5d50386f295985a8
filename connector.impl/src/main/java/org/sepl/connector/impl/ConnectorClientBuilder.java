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
import org.sepl.connector.impl.transport.TyrusTransport;

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
    private boolean encryption;
    private String user;
    private String password;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration reconnectInitialDelay = Duration.ofSeconds(1);
    private Duration reconnectMaxDelay = Duration.ofSeconds(60);
    private Duration keepAliveInterval = Duration.ofSeconds(10);
    private Duration keepAliveTimeout = Duration.ofSeconds(10);
    private int maxRequestsInFlight = 1000;
    private int commandQueueSize = 1000;
    private SSLContext sslContext;
    private GatewayIdStore gatewayIdStore = GatewayIdStore.inMemory("");
    private DeviceManager deviceManager;
    private final List<HandlerRegistration> handlers = new ArrayList<>();
    private final List<ConnectionListener> listeners = new ArrayList<>();
    private OfflineSends offlineSends = OfflineSends.FAIL_FAST;

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

    /** Where events and command answers go while the client is not ready; default {@link OfflineSends#FAIL_FAST}. */
    public ConnectorClientBuilder offlineSends(OfflineSends policy) {
        this.offlineSends = Objects.requireNonNull(policy, "policy must not be null");
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
                commandQueueSize, sslContext);
        if (deviceManager == null) {
            throw new IllegalArgumentException("deviceManager must be set");
        }
        DefaultConnectorClient client = new DefaultConnectorClient(settings, gatewayIdStore,
                new TyrusTransport(sslContext), deviceManager);
        handlers.forEach(h -> client.addCommandHandler(h.handler(), h.properties()));
        listeners.forEach(client::addConnectionListener);
        client.setOfflineSends(offlineSends);
        return client;
    }

    /** {@link #build()} and {@link DefaultConnectorClient#start()}. */
    public DefaultConnectorClient start() {
        DefaultConnectorClient client = build();
        client.start();
        return client;
    }
}
