package org.sepl.connector.transport.tyrus;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientProperties;
import org.glassfish.tyrus.core.HandshakeException;
import org.glassfish.tyrus.spi.ClientContainer;
import org.sepl.connector.api.transport.ConnectionOptions;
import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.api.transport.WebSocketTransport;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;

/**
 * The WebSocket transport on Eclipse Tyrus (Jakarta WebSocket 2.2) and its Grizzly client container: the design's
 * WebSocket implementation, and the default transport of the launcher and the Karaf feature.
 * <p>
 * Set up for a gateway:
 * <ul>
 * <li>One Grizzly transport for every connection (Tyrus's shared container, {@code SHARED_CONTAINER}: the only
 * sharing its Grizzly client offers, one per JVM), on a small fixed set of named daemon threads: the selector
 * runners Grizzly needs (processors + 1) and {@value #WORKER_THREADS} workers, made by Grizzly's own thread
 * factory, so that they hold nothing of this bundle. Tyrus stops it {@value #SHARED_CONTAINER_IDLE_SECONDS} s after
 * its last connection closed, as a rule: Tyrus 2.2.1 loses that idle timer when it fires while a connection is open
 * ({@code GrizzlyTransportTimeoutFilter}), and then its idle threads stay until the JVM ends, ready for the next
 * Tyrus transport. Closing this transport closes its connections and managers either way.</li>
 * <li>One {@link ClientManager} per proxy and handshake timeout (they are manager-wide in Tyrus), never one per
 * connection; no per-session idle-timeout tasks (idle timeout -1: the client has its own keep-alive), no Tyrus
 * reconnect handler (the client reconnects itself).</li>
 * <li>Sends are asynchronous ({@code getAsyncRemote().sendText(text, handler)}): framed and queued in call order
 * under Tyrus's protocol lock, written by Grizzly's asynchronous write queue, which re-checks after unlocking (no
 * periodic "ping nudge" is needed, unlike the JDK-NIO container, eclipse-ee4j/tyrus#678). Tyrus frames (UTF-8
 * encoding, masking) on the calling thread, so frames of a stream ({@link org.sepl.connector.api.transport.SendCadence})
 * wait in the connection's queue for one of {@value #HAND_OFF_THREADS} writer threads: a caller that streams events
 * produces them while another core frames them (about 1.3 times the events per second of framing on the caller,
 * benchmarks/README.md); an isolated frame is framed at once on the caller's thread.</li>
 * <li>Received messages of a stream reach the listener on one of {@value #HAND_OFF_THREADS} reader threads
 * ({@link ListenerCalls}), not on Tyrus's: Tyrus runs a connection's reads and writes one at a time, and the
 * client's handling of answers there held up its sends. A message that comes alone is handled on Tyrus's thread.</li>
 * <li>Per connection, through its {@link ClientEndpointConfig}: the TLS context (host name verified; a client
 * certificate if its key managers have one) and the incoming buffer, sized to the message limit plus the largest
 * frame header, so a frame up to the limit fits.</li>
 * <li>A TLS failure between the TLS handshake and the upgrade's answer (a platform refusing the client certificate
 * under TLS 1.3) fails the connect at once, naming the alert ({@link TlsFailureWatch}), where Tyrus alone waits for
 * the handshake timeout and says "Handshake response not received."</li>
 * </ul>
 * Cost: 11 bundles and about 2.1 MB beside the connector (Tyrus, Grizzly, the Jakarta WebSocket, XML Bind and
 * Activation APIs).
 */
public class TyrusWebSocketTransport implements WebSocketTransport {

    /** This transport's {@link WebSocketTransport#name()}. */
    public static final String TRANSPORT_NAME = "tyrus";
    /** Its default service ranking: the highest of the stock transports (JDK: 10). */
    public static final int RANKING = 20;
    /** Grizzly worker threads (reads and write completions); the selector threads are Grizzly's own count. */
    static final int WORKER_THREADS = 2;
    /**
     * Threads per pool: the writers frame what queues behind a busy connection (Tyrus frames on the caller); the
     * readers make the listener calls ({@link ListenerCalls}).
     */
    static final int HAND_OFF_THREADS = 2;
    /** Seconds an idle writer or reader thread is kept. */
    static final int HAND_OFF_IDLE_SECONDS = 10;
    /** Seconds after its last connection closed that Tyrus stops the shared Grizzly transport and its threads. */
    static final int SHARED_CONTAINER_IDLE_SECONDS = 1;
    /** The largest header of a frame from a server (unmasked, 64-bit length): 2 + 8 bytes. */
    static final int FRAME_HEADER_BYTES = 10;

    /** What Tyrus sets per manager, not per connection. */
    private record ManagerKey(HttpProxy proxy, Duration handshakeTimeout) {
    }

    private final Map<ManagerKey, ClientManager> managers = new HashMap<>(); // guarded by this
    private final Set<TyrusConnection> open = ConcurrentHashMap.newKeySet();
    /** Writes what queues up behind a connection's frame in progress; starts no thread until used. */
    private final ThreadPoolExecutor writers = handOffPool("sepl-connector-tyrus-writer-");
    /** Makes the connections' listener calls ({@link ListenerCalls}); starts no thread until used. */
    private final ThreadPoolExecutor readers = handOffPool("sepl-connector-tyrus-reader-");
    private volatile boolean closed;

    /** A transport; it starts no thread until the first connection. */
    public TyrusWebSocketTransport() {
    }

    @Override
    public String name() {
        return TRANSPORT_NAME;
    }

    @Override
    public int ranking() {
        return RANKING;
    }

    @Override
    public Connection connect(URI uri, ConnectionOptions options, Listener listener) throws IOException {
        ClientManager manager = manager(new ManagerKey(options.proxy().orElse(null), options.handshakeTimeout()));
        TyrusConnection connection = new TyrusConnection(listener, options.maxMessageBytes(), writers, readers,
                open::remove);
        ClientEndpointConfig config;
        if ("wss".equalsIgnoreCase(uri.getScheme())) {
            TlsFailureWatch watch = new TlsFailureWatch(options.sslContext().orElseGet(TyrusWebSocketTransport::jvmTls));
            config = ClientEndpointConfig.Builder.create().sslContext(watch.context()).build();
            config.getUserProperties().put(TlsFailureWatch.PROPERTY, watch);
        } else {
            config = ClientEndpointConfig.Builder.create().build();
        }
        // Tyrus reads a per-connection buffer size only under its WebLogic name
        config.getUserProperties().put(ClientContainer.WLS_INCOMING_BUFFER_SIZE,
                options.maxMessageBytes() + FRAME_HEADER_BYTES);
        open.add(connection);
        try {
            // onOpen may still be running on Tyrus's thread: the connection knows its session from here on either way
            connection.opened(manager.connectToServer(connection, config, uri));
        } catch (DeploymentException | IOException | RuntimeException e) {
            open.remove(connection);
            throw new IOException(describe(e), e); // the client words the cause chain for humans
        }
        if (closed) {
            connection.close(1001, "transport closed");
        }
        return connection;
    }

    /**
     * The JVM's default TLS context ({@code javax.net.ssl.*} system properties, else the JDK's CA certificates), as
     * the JDK transport uses; Tyrus alone would build a like one from the same properties with Grizzly.
     */
    private static SSLContext jvmTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalStateException if closed */
    private synchronized ClientManager manager(ManagerKey key) {
        if (closed) {
            throw new IllegalStateException("the tyrus transport is closed");
        }
        return managers.computeIfAbsent(key, TyrusWebSocketTransport::newManager);
    }

    private static ClientManager newManager(ManagerKey key) {
        ClientManager manager;
        // Tyrus loads the container class by name through the context class loader: in OSGi, this bundle's
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(TyrusWebSocketTransport.class.getClassLoader());
        try {
            manager = ClientManager.createClient(FailFastClientContainer.class.getName());
        } finally {
            thread.setContextClassLoader(before);
        }
        Map<String, Object> p = manager.getProperties();
        p.put(ClientProperties.SHARED_CONTAINER, true);
        p.put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, SHARED_CONTAINER_IDLE_SECONDS);
        p.put(GrizzlyClientProperties.WORKER_THREAD_POOL_CONFIG, threads("sepl-connector-tyrus-worker", WORKER_THREADS));
        // Grizzly runs as many selector runners as processors + 1: a smaller pool would starve some connections
        p.put(GrizzlyClientProperties.SELECTOR_THREAD_POOL_CONFIG,
                threads("sepl-connector-tyrus-selector", Runtime.getRuntime().availableProcessors() + 1));
        p.put(ClientProperties.HANDSHAKE_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, key.handshakeTimeout().toMillis()));
        if (key.proxy() != null) {
            p.put(ClientProperties.PROXY_URI, "http://" + key.proxy().host() + ":" + key.proxy().port());
            if (key.proxy().authenticates()) {
                String basic = Base64.getEncoder().encodeToString((key.proxy().user() + ":" + key.proxy().password())
                        .getBytes(StandardCharsets.UTF_8));
                p.put(ClientProperties.PROXY_HEADERS, Map.of("Proxy-Authorization", "Basic " + basic));
            }
        }
        manager.setDefaultMaxSessionIdleTimeout(-1); // no idle-timeout task per message (Tyrus 2.2.1)
        return manager;
    }

    /** {@value #HAND_OFF_THREADS} named daemon threads that end after {@value #HAND_OFF_IDLE_SECONDS} s idle. */
    private static ThreadPoolExecutor handOffPool(String namePrefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(HAND_OFF_THREADS, HAND_OFF_THREADS, HAND_OFF_IDLE_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, namePrefix + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadPoolConfig threads(String name, int count) {
        return ThreadPoolConfig.defaultConfig().setPoolName(name).setCorePoolSize(count).setMaxPoolSize(count)
                .setDaemon(true);
    }

    /** A refused upgrade names its HTTP status; anything else, the innermost message (causes stay attached). */
    private static String describe(Throwable failure) {
        String innermost = null;
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof HandshakeException refused && refused.getHttpStatusCode() > 0) {
                return "the WebSocket upgrade was answered with HTTP " + refused.getHttpStatusCode();
            }
            if (c.getMessage() != null) {
                innermost = c.getMessage();
            }
        }
        return innermost != null ? innermost : failure.toString();
    }

    /** Closes the connections still open (1001) and the Tyrus managers; Tyrus then stops the Grizzly transport. */
    @Override
    public void close() {
        List<ClientManager> toShutDown;
        synchronized (this) {
            closed = true;
            toShutDown = List.copyOf(managers.values());
            managers.clear();
        }
        for (TyrusConnection c : List.copyOf(open)) {
            c.close(1001, "transport closed");
        }
        toShutDown.forEach(ClientManager::shutdown);
        writers.shutdown();
        readers.shutdown();
    }

    @Override
    public String toString() {
        return "TyrusWebSocketTransport[" + open.size() + " connections]";
    }
}
