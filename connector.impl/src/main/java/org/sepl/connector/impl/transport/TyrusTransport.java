package org.sepl.connector.impl.transport;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.glassfish.tyrus.container.jdk.client.JdkClientContainer;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

/**
 * {@link WebSocketTransport} on the Tyrus client with its JDK container (no extra I/O library).
 * <p>
 * The container is created by class name with this bundle's class loader as context class loader: the WebSocket
 * API's {@code ContainerProvider} relies on {@code ServiceLoader}, which does not work across OSGi bundles.
 */
public final class TyrusTransport implements WebSocketTransport {

    /**
     * Seconds the JDK container keeps its shared I/O threads after the last connection closed. Short, so that a
     * stopped client leaves no threads behind for long; the same for every client, because the container is shared
     * and recreated when it changes.
     */
    private static final int CONTAINER_IDLE_TIMEOUT_SECONDS = 1;

    /** This transport's own manager; null when it uses {@link #shared}. */
    private final ClientManager client;

    /** Managers shared with other clients' transports; null when this transport has its own. */
    private final SharedTyrusClients shared;

    private final SSLContext sslContext;

    private final int maxFrameBytes;

    private boolean ownManagerHasTls; // guarded by this

    /** With {@link org.sepl.connector.impl.ClientSettings#MAX_FRAME_BYTES_DEFAULT} as the largest incoming frame. */
    public TyrusTransport(SSLContext sslContext) {
        this(sslContext, org.sepl.connector.impl.ClientSettings.MAX_FRAME_BYTES_DEFAULT);
    }

    /**
     * A transport with a Tyrus client manager of its own (and so its own Tyrus thread pools).
     *
     * @param sslContext    trust for wss (host names are always verified); null: the JVM's default
     * @param maxFrameBytes the largest frame accepted from the platform (Tyrus's own default is 4 MiB)
     */
    public TyrusTransport(SSLContext sslContext, int maxFrameBytes) {
        this.sslContext = sslContext;
        this.maxFrameBytes = maxFrameBytes;
        this.client = newManager(sslContext, maxFrameBytes, false);
        this.shared = null;
    }

    /**
     * A transport that connects through managers shared with other clients (their thread pools too); see
     * {@link SharedTyrusClients} for why clients with differing settings still get different managers.
     */
    public TyrusTransport(SSLContext sslContext, int maxFrameBytes, SharedTyrusClients shared) {
        this.sslContext = sslContext;
        this.maxFrameBytes = maxFrameBytes;
        this.client = null;
        this.shared = java.util.Objects.requireNonNull(shared, "shared must not be null");
    }

    /**
     * A manager with everything set that does not change from one connect to the next. TLS only when asked for:
     * the JVM's default context loads and parses the whole CA keystore (about 0.1 s of a fresh JVM's start), which a
     * ws:// client never needs.
     */
    static ClientManager newManager(SSLContext sslContext, int maxFrameBytes, boolean tls) {
        ClientManager manager;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TyrusTransport.class.getClassLoader());
        try {
            manager = ClientManager.createClient(JdkClientContainer.class.getName());
        } finally {
            thread.setContextClassLoader(previous);
        }
        manager.getProperties().put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, CONTAINER_IDLE_TIMEOUT_SECONDS);
        // the buffer that holds one incoming frame; beyond it Tyrus closes the connection (STACK-NOTES)
        manager.getProperties().put(ClientProperties.INCOMING_BUFFER_SIZE, maxFrameBytes);
        manager.setDefaultMaxTextMessageBufferSize(maxFrameBytes);
        if (tls) {
            configureTls(manager, sslContext);
        }
        return manager;
    }

    private static void configureTls(ClientManager manager, SSLContext sslContext) {
        SslEngineConfigurator ssl = new SslEngineConfigurator(sslContext == null ? defaultSslContext() : sslContext,
                true, false, false);
        ssl.setHostVerificationEnabled(true);
        manager.getProperties().put(ClientProperties.SSL_ENGINE_CONFIGURATOR, ssl);
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }

    @Override
    public Connection connect(URI uri, Listener listener, Duration timeout) throws IOException {
        int handshakeMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        ClientManager manager;
        if (shared == null) {
            // this client's own manager, and its connects are serial (control thread): a per-connect write is safe
            manager = client;
            if (tls) {
                configureOwnManagerTlsOnce();
            }
            manager.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, handshakeMillis);
        } else {
            // shared: never written per connect (another client's connect may be copying the properties)
            manager = shared.manager(sslContext, maxFrameBytes, handshakeMillis, tls);
        }
        TyrusConnection connection = new TyrusConnection(listener, maxFrameBytes);
        try {
            Session session = manager.connectToServer(connection.endpoint, ClientEndpointConfig.Builder.create().build(), uri);
            connection.session = session;
            return connection;
        } catch (DeploymentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(cause.getMessage(), e); // the caller names the URI
        }
    }

    private synchronized void configureOwnManagerTlsOnce() {
        if (!ownManagerHasTls) {
            configureTls(client, sslContext);
            ownManagerHasTls = true;
        }
    }

    @Override
    public void shutdown() {
        // The JDK container's I/O threads are shared by all Tyrus clients of the JVM and end by themselves
        // CONTAINER_IDLE_TIMEOUT_SECONDS after the last connection closed; there is nothing to release here.
    }

    private static final class TyrusConnection implements Connection {
        private final Listener listener;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Session session;
        private final int maxFrameBytes;
        private final WriteStallWatch writes = new WriteStallWatch();

        final Endpoint endpoint = new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig config) {
                session = s;
                s.setMaxTextMessageBufferSize(maxFrameBytes);
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) listener::onText);
                s.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> listener.onPong());
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                if (closed.compareAndSet(false, true)) {
                    listener.onClosed(reason.getCloseCode().getCode(), reason.getReasonPhrase());
                }
            }

            @Override
            public void onError(Session s, Throwable error) {
                // Tyrus follows an error on an open session with onClose; a failure before that is the connect's.
                if (s != null && !s.isOpen() && closed.compareAndSet(false, true)) {
                    listener.onClosed(CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode(), String.valueOf(error));
                }
            }
        };

        TyrusConnection(Listener listener, int maxFrameBytes) {
            this.listener = listener;
            this.maxFrameBytes = maxFrameBytes;
        }

        @Override
        public void send(String text, Consumer<Throwable> onFailure) {
            writes.issued();
            try {
                session.getAsyncRemote().sendText(text, result -> {
                    writes.completed();
                    if (!result.isOK()) {
                        onFailure.accept(result.getException());
                    }
                });
            } catch (RuntimeException e) {
                writes.completed();
                onFailure.accept(e);
            }
        }

        @Override
        public void checkWrites() {
            if (writes.check()) {
                ping(); // any write runs Tyrus's write queue again, oldest frame first (see WriteStallWatch)
            }
        }

        @Override
        public void ping() {
            try {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            } catch (IOException | RuntimeException e) {
                // the keep-alive notices the missing pong and drops the connection
            }
        }

        @Override
        public void close(int code, String reason) {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            } catch (IOException | RuntimeException e) {
                // already closed: nothing to do
            }
        }
    }
}
