package org.sepl.connector.impl.settings;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.sepl.connector.api.transport.HttpProxy;

/**
 * Every setting of a client, validated: connection (with TLS stores and proxy), commands, outbox, rate limit, device
 * manager. The one place
 * where their names, defaults, ranges and descriptions are defined: {@link #ALL} is what the builder fills, what the
 * OSGi metatype shows, what {@link #from} checks, and what the README's table lists ({@code SettingsTableTest}).
 * <p>
 * Values come as Config Admin, FileInstall or the builder give them ({@code 8080} or {@code "8080"}); every bad
 * value is reported at once, each naming the property, the value (never a secret's) and what is allowed:
 * {@code property 'port' = "eighty": must be a whole number between 1 and 65535}.
 */
public final class ClientSettings {

    public static final boolean ENCRYPTION_DEFAULT = false;
    public static final long REQUEST_TIMEOUT_MILLIS_DEFAULT = 10_000;
    public static final long RECONNECT_INITIAL_DELAY_MILLIS_DEFAULT = 1_000;
    public static final long RECONNECT_MAX_DELAY_MILLIS_DEFAULT = 60_000;
    public static final long KEEP_ALIVE_INTERVAL_MILLIS_DEFAULT = 10_000;
    public static final long KEEP_ALIVE_TIMEOUT_MILLIS_DEFAULT = 10_000;
    public static final int MAX_REQUESTS_IN_FLIGHT_DEFAULT = 1_000;
    /** 16 MiB: the largest message accepted from the platform; a larger one closes the connection (1009). */
    public static final int MAX_FRAME_BYTES_DEFAULT = 16 * 1024 * 1024;
    /** Smallest accepted {@code maxFrameBytes}: a frame must hold at least a command with some data. */
    public static final int MAX_FRAME_BYTES_MIN = 64 * 1024;
    public static final int REQUEST_TIMEOUTS_BEFORE_RECONNECT_DEFAULT = 3;
    public static final int COMMAND_QUEUE_SIZE_DEFAULT = 1_000;
    /** As the Go mgw connector: commands older than 30 s are not executed. */
    public static final long COMMAND_MAX_AGE_MILLIS_DEFAULT = 30_000;
    public static final long UNCLAIMED_COMMAND_TIMEOUT_MILLIS_DEFAULT = 30_000;
    public static final boolean OUTBOX_ENABLED_DEFAULT = true;
    public static final long OUTBOX_RETRY_DELAY_MILLIS_DEFAULT = 1_000;
    /** Outgoing events per second on average; 0: no rate limit (the default). */
    public static final double RATE_LIMIT_AVERAGE_DEFAULT = 0;
    public static final int RATE_LIMIT_BURST_DEFAULT = 100;
    public static final long DEVICE_MANAGER_WAIT_MILLIS_DEFAULT = 15_000;
    /** The type of the trust store and the key store unless said otherwise. */
    public static final String STORE_TYPE_DEFAULT = "PKCS12";
    /** {@code proxyPort} when no proxy is configured. */
    public static final int PROXY_PORT_UNSET = 0;

    // ---- connection ---------------------------------------------------------------------------------------------
    public static final Setting<String> HOST = Setting.text("host", "Host", null,
            "host name or address of the platform's connector endpoint");
    public static final Setting<Integer> PORT = Setting.whole("port", "Port", null, 1, 65535,
            "its TCP port");
    public static final Setting<Boolean> ENCRYPTION = Setting.flag("encryption", "Encryption", ENCRYPTION_DEFAULT,
            "`true`: `wss://` (TLS, host name always verified) instead of `ws://`");
    public static final Setting<String> USER = Setting.text("user", "User", null, "platform user");
    public static final Setting<String> PASSWORD = Setting.password(".password", "Password", null,
            "platform password; the leading dot keeps it out of service properties; never logged");
    public static final Setting<String> TRANSPORT = Setting.text("transport", "WebSocket transport", "",
            "name of the WebSocket transport to use (`tyrus`, `jdk`); empty: the highest-ranked one present");
    public static final Setting<Long> REQUEST_TIMEOUT_MILLIS = Setting.millis("requestTimeoutMillis",
            "Request timeout (ms)", REQUEST_TIMEOUT_MILLIS_DEFAULT,
            "timeout of the methods that take none, of the connection's opening and handshake, and of each "
                    + "synchronisation request");
    public static final Setting<Long> RECONNECT_INITIAL_DELAY_MILLIS = Setting.millis("reconnectInitialDelayMillis",
            "Reconnect initial delay (ms)", RECONNECT_INITIAL_DELAY_MILLIS_DEFAULT,
            "back-off ceiling of the second reconnect attempt (the first comes within 250 ms); doubles per attempt, "
                    + "with full jitter");
    public static final Setting<Long> RECONNECT_MAX_DELAY_MILLIS = Setting.millis("reconnectMaxDelayMillis",
            "Reconnect maximum delay (ms)", RECONNECT_MAX_DELAY_MILLIS_DEFAULT,
            "upper bound of the reconnect back-off; at least the initial delay");
    public static final Setting<Long> KEEP_ALIVE_INTERVAL_MILLIS = Setting.millis("keepAliveIntervalMillis",
            "Keep-alive interval (ms)", KEEP_ALIVE_INTERVAL_MILLIS_DEFAULT,
            "ping the platform after this long without receiving anything");
    public static final Setting<Long> KEEP_ALIVE_TIMEOUT_MILLIS = Setting.millis("keepAliveTimeoutMillis",
            "Keep-alive timeout (ms)", KEEP_ALIVE_TIMEOUT_MILLIS_DEFAULT,
            "drop the connection when a ping gets no pong within this");
    public static final Setting<Integer> MAX_REQUESTS_IN_FLIGHT = Setting.whole("maxRequestsInFlight",
            "Maximum requests in flight", MAX_REQUESTS_IN_FLIGHT_DEFAULT, 1, Integer.MAX_VALUE,
            "requests sent and not yet answered; beyond it events and command answers wait in the outbox (with the "
                    + "outbox disabled they fail at once with `WINDOW_FULL`), device changes fail at once with "
                    + "`WINDOW_FULL`");
    public static final Setting<Integer> MAX_FRAME_BYTES = Setting.whole("maxFrameBytes",
            "Maximum message size (bytes)", MAX_FRAME_BYTES_DEFAULT, MAX_FRAME_BYTES_MIN, Integer.MAX_VALUE,
            "largest message accepted from the platform, in UTF-8 bytes; a larger one closes the connection (1009)");
    public static final Setting<Integer> REQUEST_TIMEOUTS_BEFORE_RECONNECT = Setting.whole(
            "requestTimeoutsBeforeReconnect", "Request timeouts before reconnect",
            REQUEST_TIMEOUTS_BEFORE_RECONNECT_DEFAULT, 1, Integer.MAX_VALUE,
            "consecutive request timeouts, nothing received meanwhile, before reconnecting (a platform that answers "
                    + "pings but no requests)");
    public static final Setting<String> TRUST_STORE = Setting.text("trustStore", "Trust store", "",
            "trust store file for `wss`; empty: the JVM's trust. A file replaced on disk is read again at the next "
                    + "connect");
    public static final Setting<String> TRUST_STORE_TYPE = Setting.text("trustStoreType", "Trust store type",
            STORE_TYPE_DEFAULT, "its type (`PKCS12`, `JKS`)");
    public static final Setting<String> TRUST_STORE_PASSWORD = Setting.password(".trustStorePassword",
            "Trust store password", "", "its password");
    public static final Setting<String> KEY_STORE = Setting.text("keyStore", "Key store (client certificate)", "",
            "key store file with the gateway's client certificate and its key, for a platform that requires one "
                    + "(mutual TLS); empty: no client certificate. A file replaced on disk is read again at the next "
                    + "connect");
    public static final Setting<String> KEY_STORE_TYPE = Setting.text("keyStoreType", "Key store type",
            STORE_TYPE_DEFAULT, "its type (`PKCS12`, `JKS`)");
    public static final Setting<String> KEY_STORE_PASSWORD = Setting.password(".keyStorePassword",
            "Key store password", "", "its password, also the key's");
    public static final Setting<String> PROXY_HOST = Setting.text("proxyHost", "HTTP proxy host", "",
            "HTTP proxy the connection goes through (`CONNECT`); empty: the JVM's proxy settings (`https.proxyHost` "
                    + "for `wss`, `http.proxyHost` for `ws`, `http.nonProxyHosts`), by default none");
    public static final Setting<Integer> PROXY_PORT = Setting.whole("proxyPort", "HTTP proxy port", PROXY_PORT_UNSET,
            0, 65535, "its port, required with `proxyHost`");
    public static final Setting<String> PROXY_USER = Setting.text("proxyUser", "HTTP proxy user", "",
            "user for the proxy's Basic authentication; empty: none. The `jdk` transport needs the JVM started with "
                    + "`-Djdk.http.auth.tunneling.disabledSchemes=`");
    public static final Setting<String> PROXY_PASSWORD = Setting.password(".proxyPassword", "HTTP proxy password", "",
            "its password");

    // ---- commands -----------------------------------------------------------------------------------------------
    public static final Setting<Integer> COMMAND_QUEUE_SIZE = Setting.whole("commandQueueSize", "Command queue size",
            COMMAND_QUEUE_SIZE_DEFAULT, 1, Integer.MAX_VALUE,
            "commands waiting for handlers, and unclaimed commands waiting for `receive()`; beyond it a command is "
                    + "answered with an error");
    public static final Setting<Long> COMMAND_MAX_AGE_MILLIS = Setting.millis("commandMaxAgeMillis",
            "Maximum command age (ms)", COMMAND_MAX_AGE_MILLIS_DEFAULT,
            "older commands (`time` field, or wait for a handler) are answered with an error, not run");
    public static final Setting<Long> UNCLAIMED_COMMAND_TIMEOUT_MILLIS = Setting.millis(
            "unclaimedCommandTimeoutMillis", "Unclaimed command timeout (ms)", UNCLAIMED_COMMAND_TIMEOUT_MILLIS_DEFAULT,
            "unclaimed commands nobody `receive()`s within this are answered with an error");

    // ---- outbox and rate limit ----------------------------------------------------------------------------------
    public static final Setting<Boolean> OUTBOX_ENABLED = Setting.flag("outboxEnabled", "Outbox enabled",
            OUTBOX_ENABLED_DEFAULT,
            "events and answers go through an outbox (the highest-ranked `Outbox` service, or in plain Java a new "
                    + "in-memory one): stored while the link is down, delivered at least once; `false`: they fail "
                    + "with `NOT_CONNECTED` while not ready");
    public static final Setting<Long> OUTBOX_RETRY_DELAY_MILLIS = Setting.millis("outboxRetryDelayMillis",
            "Outbox retry delay (ms)", OUTBOX_RETRY_DELAY_MILLIS_DEFAULT,
            "a message the platform answered with a 5xx, or did not answer in time, is sent again after this");
    public static final Setting<Double> RATE_LIMIT_AVERAGE = Setting.decimal("rateLimitAverage",
            "Rate limit: average (events/s)", RATE_LIMIT_AVERAGE_DEFAULT, 0,
            "must be a finite number of events per second, at least 0 (0: no limit)",
            "outgoing events per second on average (token bucket; delays, never drops); `0`: no limit");
    public static final Setting<Integer> RATE_LIMIT_BURST = Setting.whole("rateLimitBurst",
            "Rate limit: burst (events)", RATE_LIMIT_BURST_DEFAULT, 1, Integer.MAX_VALUE,
            "events that may go at once after a quiet time, when a rate limit is set");

    // ---- device manager -----------------------------------------------------------------------------------------
    public static final Setting<String> DEVICE_MANAGER = Setting.text("deviceManager", "Device manager", "",
            "name of the device manager to use (`sqlite`, `memory`, or yours: its service property "
                    + "`connector.devicemanager.name`); the highest-ranked one stands in while it is away; empty: the "
                    + "highest-ranked one");
    public static final Setting<Long> DEVICE_MANAGER_WAIT_MILLIS = Setting.millis("deviceManagerWaitMillis",
            "Device manager wait at start (ms)", DEVICE_MANAGER_WAIT_MILLIS_DEFAULT,
            "with `deviceManager` set, how long the first connection waits for it; then the client connects with the "
                    + "one present, which stands in for events and commands: the platform's device list is kept as it is "
                    + "(unless it holds none) until the configured one comes, and the client says so");

    /** Every setting, in the order of the docs. */
    public static final List<Setting<?>> ALL = List.of(HOST, PORT, ENCRYPTION, USER, PASSWORD, TRANSPORT,
            REQUEST_TIMEOUT_MILLIS, RECONNECT_INITIAL_DELAY_MILLIS, RECONNECT_MAX_DELAY_MILLIS,
            KEEP_ALIVE_INTERVAL_MILLIS, KEEP_ALIVE_TIMEOUT_MILLIS, MAX_REQUESTS_IN_FLIGHT, MAX_FRAME_BYTES,
            REQUEST_TIMEOUTS_BEFORE_RECONNECT, COMMAND_QUEUE_SIZE, COMMAND_MAX_AGE_MILLIS,
            UNCLAIMED_COMMAND_TIMEOUT_MILLIS, OUTBOX_ENABLED, OUTBOX_RETRY_DELAY_MILLIS, RATE_LIMIT_AVERAGE,
            RATE_LIMIT_BURST, DEVICE_MANAGER, DEVICE_MANAGER_WAIT_MILLIS, TRUST_STORE, TRUST_STORE_TYPE,
            TRUST_STORE_PASSWORD, KEY_STORE, KEY_STORE_TYPE, KEY_STORE_PASSWORD, PROXY_HOST, PROXY_PORT, PROXY_USER,
            PROXY_PASSWORD);

    private final Map<Setting<?>, Object> values;

    private ClientSettings(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /**
     * Settings from configuration properties (names as in {@link #ALL}; others are ignored); missing ones take their
     * default.
     *
     * @throws InvalidSettingsException listing every property that is missing or bad
     */
    public static ClientSettings from(Map<String, ?> properties) {
        Map<Setting<?>, Object> values = new IdentityHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Setting<?> s : ALL) {
            Object raw = properties.get(s.property());
            if (raw == null && !s.required()) {
                values.put(s, s.defaultValue());
            } else {
                read(s, raw, values, problems);
            }
        }
        Object initial = values.get(RECONNECT_INITIAL_DELAY_MILLIS);
        Object max = values.get(RECONNECT_MAX_DELAY_MILLIS);
        if (initial != null && max != null && (Long) max < (Long) initial) {
            problems.add("property '" + RECONNECT_MAX_DELAY_MILLIS.property() + "' = \"" + max
                    + "\": must not be smaller than " + RECONNECT_INITIAL_DELAY_MILLIS.property() + " (" + initial + ")");
        }
        checkProxy(values, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new ClientSettings(values);
    }

    /** The proxy settings go together: a port with a host, credentials only for a configured proxy. */
    private static void checkProxy(Map<Setting<?>, Object> values, List<String> problems) {
        if (!(values.get(PROXY_HOST) instanceof String host) || !(values.get(PROXY_PORT) instanceof Integer port)
                || !(values.get(PROXY_USER) instanceof String user)
                || !(values.get(PROXY_PASSWORD) instanceof String password)) {
            return; // a bad value, reported already
        }
        if (!host.isBlank() && port == PROXY_PORT_UNSET) {
            problems.add("property '" + PROXY_PORT.property() + "' must be set with " + PROXY_HOST.property()
                    + ": the proxy's port, 1 to 65535");
        } else if (host.isBlank() && port != PROXY_PORT_UNSET) {
            problems.add("property '" + PROXY_PORT.property() + "' = \"" + port + "\": needs " + PROXY_HOST.property());
        }
        if (host.isBlank() && !user.isBlank()) {
            problems.add("property '" + PROXY_USER.property() + "' = \"" + user + "\": needs " + PROXY_HOST.property()
                    + " (proxy credentials go only to a configured proxy, never to the JVM's)");
        }
        if (user.isBlank() && !password.isEmpty()) {
            problems.add("property '" + PROXY_PASSWORD.property() + "' = (hidden): needs " + PROXY_USER.property());
        }
    }

    /**
     * @return what is wrong with one value of a setting, in the words of {@link #from} (empty when it is fine); for
     *         forms that check a field (the metatype)
     */
    public static List<String> problemsOf(Setting<?> setting, Object raw) {
        List<String> problems = new ArrayList<>(1);
        read(setting, raw, new IdentityHashMap<>(), problems);
        return problems;
    }

    private static void read(Setting<?> s, Object raw, Map<Setting<?>, Object> values, List<String> problems) {
        if (raw == null || (s.required() && raw instanceof String text && text.isBlank())) {
            problems.add("property '" + s.property() + "' must be set: " + s.description());
            return;
        }
        try {
            values.put(s, s.parse(raw));
        } catch (IllegalArgumentException e) {
            problems.add("property '" + s.property() + "' = " + s.show(raw) + ": " + e.getMessage());
        }
    }

    /** @return the value of a setting (its default when it was not given) */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    public String host() {
        return get(HOST);
    }

    public int port() {
        return get(PORT);
    }

    public boolean encryption() {
        return get(ENCRYPTION);
    }

    public String user() {
        return get(USER);
    }

    public String password() {
        return get(PASSWORD);
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(get(REQUEST_TIMEOUT_MILLIS));
    }

    public Duration reconnectInitialDelay() {
        return Duration.ofMillis(get(RECONNECT_INITIAL_DELAY_MILLIS));
    }

    public Duration reconnectMaxDelay() {
        return Duration.ofMillis(get(RECONNECT_MAX_DELAY_MILLIS));
    }

    public Duration keepAliveInterval() {
        return Duration.ofMillis(get(KEEP_ALIVE_INTERVAL_MILLIS));
    }

    public Duration keepAliveTimeout() {
        return Duration.ofMillis(get(KEEP_ALIVE_TIMEOUT_MILLIS));
    }

    public int maxRequestsInFlight() {
        return get(MAX_REQUESTS_IN_FLIGHT);
    }

    public int maxFrameBytes() {
        return get(MAX_FRAME_BYTES);
    }

    public int requestTimeoutsBeforeReconnect() {
        return get(REQUEST_TIMEOUTS_BEFORE_RECONNECT);
    }

    public int commandQueueSize() {
        return get(COMMAND_QUEUE_SIZE);
    }

    public Duration commandMaxAge() {
        return Duration.ofMillis(get(COMMAND_MAX_AGE_MILLIS));
    }

    public Duration unclaimedCommandTimeout() {
        return Duration.ofMillis(get(UNCLAIMED_COMMAND_TIMEOUT_MILLIS));
    }

    public boolean outboxEnabled() {
        return get(OUTBOX_ENABLED);
    }

    public Duration outboxRetryDelay() {
        return Duration.ofMillis(get(OUTBOX_RETRY_DELAY_MILLIS));
    }

    public double rateLimitAverage() {
        return get(RATE_LIMIT_AVERAGE);
    }

    public int rateLimitBurst() {
        return get(RATE_LIMIT_BURST);
    }

    /** @return the transport asked for, or empty: the highest-ranked one */
    public String transport() {
        return get(TRANSPORT).trim();
    }

    /** @return the device manager asked for, or empty: the highest-ranked one */
    public String deviceManager() {
        return get(DEVICE_MANAGER).trim();
    }

    public Duration deviceManagerWait() {
        return Duration.ofMillis(get(DEVICE_MANAGER_WAIT_MILLIS));
    }

    /** @return the configured HTTP proxy, or null: the JVM's proxy settings */
    public HttpProxy proxy() {
        String host = get(PROXY_HOST).trim();
        if (host.isEmpty()) {
            return null;
        }
        String user = get(PROXY_USER).trim();
        return user.isEmpty() ? HttpProxy.of(host, get(PROXY_PORT)) : new HttpProxy(host, get(PROXY_PORT), user,
                get(PROXY_PASSWORD));
    }

    /** @return {@code ws://host:port/} or {@code wss://host:port/} */
    public URI uri() {
        String h = host().contains(":") && !host().startsWith("[") ? "[" + host() + "]" : host();
        return URI.create((encryption() ? "wss" : "ws") + "://" + h + ":" + port() + "/");
    }

    /** @return {@code user@host:port}, for thread names and logs */
    public String account() {
        return user() + "@" + host() + ":" + port();
    }

    /** @return the properties these settings were read from, as given values (secrets included: do not log) */
    public Map<String, Object> asProperties() {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            properties.put(s.property(), values.get(s));
        }
        return Collections.unmodifiableMap(properties);
    }

    /** Secrets are left out, so that settings can be logged. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ClientSettings[").append(uri());
        for (Setting<?> s : ALL) {
            if (!s.secret() && s != HOST && s != PORT && s != ENCRYPTION) {
                b.append(", ").append(s.property()).append('=').append(values.get(s));
            }
        }
        return b.append(']').toString();
    }
}
