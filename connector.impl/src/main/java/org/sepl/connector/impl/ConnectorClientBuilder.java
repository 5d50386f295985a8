package org.sepl.connector.impl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLContext;

import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.impl.executor.ClientThreads;
import org.sepl.connector.impl.settings.ClientSettings;
import org.sepl.connector.impl.settings.Setting;

/**
 * The client builder's implementation: what {@code ConnectorClient.builder()} returns (found with
 * {@link java.util.ServiceLoader}), and what earlier code creates with {@code new ConnectorClientBuilder()}; both
 * build a {@link DefaultConnectorClient}. Every setting goes into the same properties as the OSGi configuration and
 * is checked by {@link ClientSettings#from}, so the builder and the configuration accept the same values with the
 * same words.
 */
public final class ConnectorClientBuilder implements org.sepl.connector.api.ConnectorClientBuilder {

    private record HandlerRegistration(CommandHandler handler, Map<String, ?> properties) {
    }

    private final Map<String, Object> properties = new LinkedHashMap<>();
    private SSLContext sslContext;
    private GatewayIdStore gatewayIdStore = GatewayIdStore.inMemory("");
    private DeviceManager deviceManager;
    private Outbox outbox;
    private WebSocketTransport transport;
    private Executor lanes;
    private ScheduledExecutorService timer;
    private final List<HandlerRegistration> handlers = new ArrayList<>();
    private final List<ConnectionListener> listeners = new ArrayList<>();

    /** A builder with every default; {@code ConnectorClient.builder()} is the way that names no implementation. */
    public ConnectorClientBuilder() {
    }

    private <T> ConnectorClientBuilder set(Setting<T> setting, Object value) {
        properties.put(setting.property(), value);
        return this;
    }

    /** A duration as the millisecond setting holds it; a positive one below a millisecond counts as 1 ms. */
    private static long millis(Duration d, String name) {
        Objects.requireNonNull(d, name + " must not be null");
        return d.isNegative() || d.isZero() ? d.toMillis() : Math.max(1, d.toMillis());
    }

    @Override
    public ConnectorClientBuilder platform(String host, int port, boolean encryption) {
        set(ClientSettings.HOST, host);
        set(ClientSettings.PORT, port);
        return set(ClientSettings.ENCRYPTION, encryption);
    }

    @Override
    public ConnectorClientBuilder credentials(String user, String password) {
        set(ClientSettings.USER, user);
        return set(ClientSettings.PASSWORD, password);
    }

    @Override
    public ConnectorClientBuilder configuration(Map<String, ?> configuration) {
        properties.putAll(Objects.requireNonNull(configuration, "configuration must not be null"));
        return this;
    }

    @Override
    public ConnectorClientBuilder requestTimeout(Duration timeout) {
        return set(ClientSettings.REQUEST_TIMEOUT_MILLIS, millis(timeout, "requestTimeout"));
    }

    @Override
    public ConnectorClientBuilder reconnectDelay(Duration initial, Duration max) {
        set(ClientSettings.RECONNECT_INITIAL_DELAY_MILLIS, millis(initial, "initial"));
        return set(ClientSettings.RECONNECT_MAX_DELAY_MILLIS, millis(max, "max"));
    }

    @Override
    public ConnectorClientBuilder keepAlive(Duration interval, Duration timeout) {
        set(ClientSettings.KEEP_ALIVE_INTERVAL_MILLIS, millis(interval, "interval"));
        return set(ClientSettings.KEEP_ALIVE_TIMEOUT_MILLIS, millis(timeout, "timeout"));
    }

    @Override
    public ConnectorClientBuilder maxRequestsInFlight(int max) {
        return set(ClientSettings.MAX_REQUESTS_IN_FLIGHT, max);
    }

    @Override
    public ConnectorClientBuilder commandQueueSize(int size) {
        return set(ClientSettings.COMMAND_QUEUE_SIZE, size);
    }

    @Override
    public ConnectorClientBuilder maxFrameBytes(int max) {
        return set(ClientSettings.MAX_FRAME_BYTES, max);
    }

    @Override
    public ConnectorClientBuilder requestTimeoutsBeforeReconnect(int n) {
        return set(ClientSettings.REQUEST_TIMEOUTS_BEFORE_RECONNECT, n);
    }

    @Override
    public ConnectorClientBuilder commandMaxAge(Duration age) {
        return set(ClientSettings.COMMAND_MAX_AGE_MILLIS, millis(age, "commandMaxAge"));
    }

    @Override
    public ConnectorClientBuilder unclaimedCommandTimeout(Duration timeout) {
        return set(ClientSettings.UNCLAIMED_COMMAND_TIMEOUT_MILLIS, millis(timeout, "unclaimedCommandTimeout"));
    }

    @Override
    public ConnectorClientBuilder outboxRetryDelay(Duration delay) {
        return set(ClientSettings.OUTBOX_RETRY_DELAY_MILLIS, millis(delay, "outboxRetryDelay"));
    }

    @Override
    public ConnectorClientBuilder rateLimit(double averagePerSecond, int burst) {
        set(ClientSettings.RATE_LIMIT_AVERAGE, averagePerSecond);
        return set(ClientSettings.RATE_LIMIT_BURST, burst);
    }

    @Override
    public ConnectorClientBuilder sslContext(SSLContext context) {
        this.sslContext = context;
        return this;
    }

    @Override
    public ConnectorClientBuilder trustStore(Path file, String type, String password) {
        set(ClientSettings.TRUST_STORE, Objects.requireNonNull(file, "file must not be null").toString());
        set(ClientSettings.TRUST_STORE_TYPE, Objects.requireNonNull(type, "type must not be null"));
        return set(ClientSettings.TRUST_STORE_PASSWORD, password == null ? "" : password);
    }

    @Override
    public ConnectorClientBuilder keyStore(Path file, String type, String password) {
        set(ClientSettings.KEY_STORE, Objects.requireNonNull(file, "file must not be null").toString());
        set(ClientSettings.KEY_STORE_TYPE, Objects.requireNonNull(type, "type must not be null"));
        return set(ClientSettings.KEY_STORE_PASSWORD, password == null ? "" : password);
    }

    @Override
    public ConnectorClientBuilder proxy(HttpProxy proxy) {
        set(ClientSettings.PROXY_HOST, proxy == null ? "" : proxy.host());
        set(ClientSettings.PROXY_PORT, proxy == null ? ClientSettings.PROXY_PORT_UNSET : proxy.port());
        set(ClientSettings.PROXY_USER, proxy == null || proxy.user() == null ? "" : proxy.user());
        return set(ClientSettings.PROXY_PASSWORD, proxy == null || proxy.password() == null ? "" : proxy.password());
    }

    @Override
    public ConnectorClientBuilder gatewayIdStore(GatewayIdStore store) {
        this.gatewayIdStore = Objects.requireNonNull(store, "store must not be null");
        return this;
    }

    @Override
    public ConnectorClientBuilder deviceManager(DeviceManager manager) {
        this.deviceManager = manager;
        return this;
    }

    @Override
    public ConnectorClientBuilder outbox(Outbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox must not be null");
        return set(ClientSettings.OUTBOX_ENABLED, true);
    }

    @Override
    public ConnectorClientBuilder outboxDisabled() {
        this.outbox = null;
        return set(ClientSettings.OUTBOX_ENABLED, false);
    }

    @Override
    public ConnectorClientBuilder transport(WebSocketTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport must not be null");
        return this;
    }

    @Override
    public ConnectorClientBuilder transport(String name) {
        return set(ClientSettings.TRANSPORT, Objects.requireNonNull(name, "name must not be null"));
    }

    @Override
    public ConnectorClientBuilder threads(Executor lanes, ScheduledExecutorService timer) {
        this.lanes = Objects.requireNonNull(lanes, "lanes must not be null");
        this.timer = Objects.requireNonNull(timer, "timer must not be null");
        return this;
    }

    /**
     * Shares threads and the transport with the other clients built with the same {@code resources}: the
     * {@link #threads} and {@link #transport(WebSocketTransport)} of a {@link ClientResources}.
     */
    public ConnectorClientBuilder resources(ClientResources resources) {
        Objects.requireNonNull(resources, "resources must not be null");
        if (resources.isClosed()) {
            throw new IllegalArgumentException("resources is closed: pass open ClientResources");
        }
        threads(resources.lanes(), resources.timer());
        return transport(resources.transport());
    }

    @Override
    public ConnectorClientBuilder commandHandler(CommandHandler handler, Map<String, ?> properties) {
        handlers.add(new HandlerRegistration(Objects.requireNonNull(handler, "handler must not be null"),
                properties == null ? Map.of() : properties));
        return this;
    }

    @Override
    public ConnectorClientBuilder connectionListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    @Override
    public DefaultConnectorClient build() {
        return assemble().client();
    }

    /** {@link #build()}, keeping the assembly: what may change at run time can then be changed (tests use it). */
    ClientAssembly assemble() {
        ClientSettings settings = ClientSettings.from(properties);
        if (deviceManager == null) {
            throw new IllegalArgumentException("deviceManager must be set: where the gateway's devices are kept "
                    + "(e.g. new InMemoryDeviceManager())");
        }
        List<AutoCloseable> owned = new ArrayList<>();
        WebSocketTransport t = transport;
        if (t == null) {
            t = ClassPathDefaults.transport(settings.transport());
            owned.add(t);
        }
        Outbox o = null;
        if (settings.outboxEnabled()) {
            o = outbox;
            if (o == null) {
                o = ClassPathDefaults.outbox();
                owned.add(o);
            }
        }
        ClientThreads threads = lanes != null ? ClientThreads.shared(settings.account(), lanes, timer)
                : ClientThreads.own(settings.account());
        ClientAssembly assembly;
        try {
            assembly = new ClientAssembly(settings, gatewayIdStore, sslContext, threads, o, owned);
        } catch (RuntimeException e) {
            threads.close();
            owned.forEach(ConnectorClientBuilder::closeQuietly);
            throw e;
        }
        assembly.deviceManagerAdded(deviceManager, null, 0);
        assembly.transportAdded(t, t.name(), t.ranking());
        DefaultConnectorClient client = assembly.client();
        handlers.forEach(h -> client.addCommandHandler(h.handler(), h.properties()));
        listeners.forEach(client::addConnectionListener);
        return assembly;
    }

    @Override
    public DefaultConnectorClient start() {
        DefaultConnectorClient client = build();
        client.start();
        return client;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // building failed: the first error is the one to report
        }
    }
}
