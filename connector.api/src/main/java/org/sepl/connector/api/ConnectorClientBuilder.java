package org.sepl.connector.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLContext;

import org.osgi.annotation.versioning.ProviderType;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.api.transport.WebSocketTransport;

/**
 * Builds a {@link StandaloneConnectorClient}: get one with {@link ConnectorClient#builder()}. Every setting has the
 * default of the OSGi configuration {@code org.sepl.connector.client} and is checked by {@link #build()}, which names
 * the setting, the bad value and what is allowed.
 *
 * <pre>{@code
 * try (StandaloneConnectorClient client = ConnectorClient.builder()
 *         .platform("platform.example.org", 8080, false)
 *         .credentials("alice", "secret")
 *         .deviceManager(devices)
 *         .start()) {
 *     ...
 * }
 * }</pre>
 * A builder is not thread-safe; each {@link #build()} makes a new client.
 *
 * @since 1.3
 */
@ProviderType
public interface ConnectorClientBuilder {

    /** The platform's connector endpoint: {@code ws://host:port/}, or {@code wss://} with encryption. Required. */
    ConnectorClientBuilder platform(String host, int port, boolean encryption);

    /** The platform account. Required. */
    ConnectorClientBuilder credentials(String user, String password);

    /**
     * Settings by their configuration property names and values, as in the OSGi configuration
     * {@code org.sepl.connector.client} (e.g. from a {@code .properties} file): strings are parsed as Config Admin
     * would. Typed methods called later override them.
     */
    ConnectorClientBuilder configuration(Map<String, ?> properties);

    /** Timeout of the methods that take none, of the handshake and of each synchronisation request. */
    ConnectorClientBuilder requestTimeout(Duration timeout);

    /** Back-off of reconnects: the ceiling of the second attempt's delay (doubling per attempt) and its maximum. */
    ConnectorClientBuilder reconnectDelay(Duration initial, Duration max);

    /** Ping after {@code interval} without receiving anything; drop the connection if no pong within {@code timeout}. */
    ConnectorClientBuilder keepAlive(Duration interval, Duration timeout);

    /** Requests sent and not yet answered at most. */
    ConnectorClientBuilder maxRequestsInFlight(int max);

    /** Commands waiting for handlers, and unclaimed commands waiting for {@code receive()}, at most. */
    ConnectorClientBuilder commandQueueSize(int size);

    /** Largest message accepted from the platform, in UTF-8 bytes; a larger one closes the connection (1009). */
    ConnectorClientBuilder maxFrameBytes(int max);

    /** Consecutive request timeouts, with nothing received meanwhile, after which the client reconnects. */
    ConnectorClientBuilder requestTimeoutsBeforeReconnect(int n);

    /** Commands older than this, or waiting longer than this for their handler, are answered with an error. */
    ConnectorClientBuilder commandMaxAge(Duration age);

    /** Commands no handler claims and nobody {@code receive()}s within this are answered with an error. */
    ConnectorClientBuilder unclaimedCommandTimeout(Duration timeout);

    /** How long a message the platform answered with a 5xx, or did not answer in time, waits before it is sent again. */
    ConnectorClientBuilder outboxRetryDelay(Duration delay);

    /**
     * Outgoing events at most {@code averagePerSecond} on average, with bursts of up to {@code burst}; events over
     * the rate wait in the outbox (delayed, never dropped). {@code 0}: no limit (the default).
     */
    ConnectorClientBuilder rateLimit(double averagePerSecond, int burst);

    /**
     * TLS for {@code wss}: trust, and a client certificate if it has key managers; used as it is, for every
     * connection. Default: the {@link #trustStore} and {@link #keyStore} if given, else the JVM's default. Not with
     * them: {@link #build()} refuses both.
     */
    ConnectorClientBuilder sslContext(SSLContext context);

    /**
     * The trust store of {@code wss}: the platform's certificate must be trusted by it (and name the host). Read
     * again at the next connect when the file changed on disk, so a new one takes effect without a restart. Default:
     * the JVM's trust.
     *
     * @param type     {@code PKCS12} or {@code JKS}
     * @param password its password (may be empty)
     */
    ConnectorClientBuilder trustStore(Path file, String type, String password);

    /**
     * The gateway's client certificate and its key, for a platform that requires one (mutual TLS). Read again at
     * the next connect when the file changed on disk, so a renewed certificate takes effect without a restart.
     * Default: no client certificate.
     *
     * @param type     {@code PKCS12} or {@code JKS}
     * @param password the store's password, which must also be the key's (as in PKCS#12 files from keytool or
     *                 openssl)
     */
    ConnectorClientBuilder keyStore(Path file, String type, String password);

    /**
     * Connects through this HTTP proxy ({@code CONNECT}, with Basic authentication if it has a user). Default
     * (null): the JVM's proxy settings ({@code https.proxyHost}/{@code https.proxyPort} for {@code wss},
     * {@code http.proxyHost}/{@code http.proxyPort} for {@code ws}, {@code http.nonProxyHosts}), by default none. The
     * {@code jdk} transport can send the credentials only if the JVM was started with
     * {@code -Djdk.http.auth.tunneling.disabledSchemes=}.
     */
    ConnectorClientBuilder proxy(HttpProxy proxy);

    /** Where the gateway id is kept between runs; default: in memory only. */
    ConnectorClientBuilder gatewayIdStore(GatewayIdStore store);

    /** Where the gateway's devices are kept. Required. */
    ConnectorClientBuilder deviceManager(DeviceManager manager);

    /**
     * Sends events and command answers through this outbox (for example a durable SQLite one); default: a new
     * in-memory outbox found on the class path ({@code connector.store.memory}). The caller keeps ownership: close
     * it after the client.
     */
    ConnectorClientBuilder outbox(Outbox outbox);

    /**
     * No outbox: events and command answers are sent only while ready, else fail at once with {@code NOT_CONNECTED};
     * those in flight when the link drops fail with {@code CONNECTION_LOST}.
     */
    ConnectorClientBuilder outboxDisabled();

    /**
     * The WebSocket implementation, shared with other clients if they are given the same one; the caller keeps
     * ownership (close it after the clients). Default: a new one of the highest-ranked transport on the class path
     * ({@code connector.transport.tyrus} before {@code connector.transport.jdk}), closed with the client.
     */
    ConnectorClientBuilder transport(WebSocketTransport transport);

    /** Of the transports on the class path, the one with this {@link WebSocketTransport#name()} ({@code tyrus}, {@code jdk}). */
    ConnectorClientBuilder transport(String name);

    /**
     * Runs the client on threads shared with other clients: its serial lanes (connection steps, outbox, device
     * changes, callbacks: each one task at a time, in order) on {@code lanes}, which must start a task at once
     * however many are running (a connect blocks its lane), e.g. a cached thread pool; and its timers on
     * {@code timer}, whose tasks are short. The client never shuts them down. Default: threads of its own.
     */
    ConnectorClientBuilder threads(Executor lanes, ScheduledExecutorService timer);

    /** @param properties selection properties as described in {@link CommandHandler} (may be empty) */
    ConnectorClientBuilder commandHandler(CommandHandler handler, Map<String, ?> properties);

    /** Told when the client becomes ready and when it loses the connection. */
    ConnectorClientBuilder connectionListener(ConnectionListener listener);

    /**
     * @return a client that is not connecting yet: call {@link StandaloneConnectorClient#start()}
     * @throws IllegalArgumentException naming the setting that is missing or invalid, its value and what is allowed
     * @throws IllegalStateException    if no transport or no default outbox is on the class path (saying which
     *                                  artifact to add)
     */
    StandaloneConnectorClient build();

    /** {@link #build()}, then {@link StandaloneConnectorClient#start()}. */
    StandaloneConnectorClient start();
}
