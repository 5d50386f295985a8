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

    private final ClientManager client;

    private final int maxFrameBytes;
    private final SSLContext sslContext;
    private boolean tlsConfigured; // guarded by this

    /** With {@link org.sepl.connector.impl.ClientSettings#MAX_FRAME_BYTES_DEFAULT} as the largest incoming frame. */
    public TyrusTransport(SSLContext sslContext) {
        this(sslContext, org.sepl.connector.impl.ClientSettings.MAX_FRAME_BYTES_DEFAULT);
    }

    /**
     * @param sslContext    trust for wss (host names are always verified); null: the JVM's default
     * @param maxFrameBytes the largest frame accepted from the platform (Tyrus's own default is 4 MiB)
     */
    public TyrusTransport(SSLContext sslContext, int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.sslContext = sslContext;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TyrusTransport.class.getClassLoader());
        try {
            client = ClientManager.createClient(JdkClientContainer.class.getName());
        } finally {
            thread.setContextClassLoader(previous);
        }
        client.getProperties().put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, CONTAINER_IDLE_TIMEOUT_SECONDS);
        // the buffer that holds one incoming frame; beyond it Tyrus closes the connection (STACK-NOTES)
        client.getProperties().put(ClientProperties.INCOMING_BUFFER_SIZE, maxFrameBytes);
        client.setDefaultMaxTextMessageBufferSize(maxFrameBytes);
    }

    /**
     * Configures TLS at the first wss connect, not before: the JVM's default context loads and parses the whole
     * CA keystore (about 0.1 s of a fresh JVM's start), which a ws:// client never needs.
     */
    private synchronized void configureTlsOnce() {
        if (tlsConfigured) {
            return;
        }
        SslEngineConfigurator ssl = new SslEngineConfigurator(sslContext == null ? defaultSslContext() : sslContext,
                true, false, false);
        ssl.setHostVerificationEnabled(true);
        client.getProperties().put(ClientProperties.SSL_ENGINE_CONFIGURATOR, ssl);
        tlsConfigured = true;
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
        if ("wss".equalsIgnoreCase(uri.getScheme())) {
            configureTlsOnce();
        }
        client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        TyrusConnection connection = new TyrusConnection(listener, maxFrameBytes);
        try {
            Session session = client.connectToServer(connection.endpoint, ClientEndpointConfig.Builder.create().build(), uri);
            connection.session = session;
            return connection;
        } catch (DeploymentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(cause.getMessage(), e); // the caller names the URI
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
            try {
                session.getAsyncRemote().sendText(text, result -> {
                    if (!result.isOK()) {
                        onFailure.accept(result.getException());
                    }
                });
            } catch (RuntimeException e) {
                onFailure.accept(e);
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
