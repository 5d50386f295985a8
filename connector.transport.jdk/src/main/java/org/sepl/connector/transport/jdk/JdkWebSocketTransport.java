package org.sepl.connector.transport.jdk;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.sepl.connector.api.transport.ConnectionOptions;
import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.api.transport.MessageAssembler;
import org.sepl.connector.api.transport.SendCadence;
import org.sepl.connector.api.transport.WebSocketTransport;

/**
 * The WebSocket transport on the JDK's own client ({@code java.net.http}): no library, nothing to deploy, no class
 * loader tricks in OSGi ({@code java.*} always comes from the JVM). The lean choice: about 60 KB of code, and
 * threads only while connections are busy (at most {@value HttpClients#IO_THREADS_MAX} I/O threads, idle ones ending
 * after {@value HttpClients#IO_THREAD_KEEP_ALIVE_SECONDS} s, plus one selector thread per JDK HTTP client).
 * <p>
 * The JDK allows one text frame in flight per connection; frames wait in this transport's queue and are written one
 * after another in the order {@link Connection#send} was called: an isolated frame on the caller's thread (a
 * non-blocking hand-over to the socket), frames of a stream by the I/O threads ({@link SendCadence}). A caller that
 * sends a stream of events then spends its time producing them while another core writes.
 * <p>
 * One instance serves many connections (of many clients): it owns the JDK HTTP clients and their I/O threads,
 * one client per TLS context and proxy. {@link #close()} closes the connections still open and ends the threads
 * (but the JDK clients' selector threads, which end by themselves once the clients are garbage collected).
 */
public class JdkWebSocketTransport implements WebSocketTransport {

    /** This transport's {@link WebSocketTransport#name()}. */
    public static final String TRANSPORT_NAME = "jdk";
    /** Its default service ranking: below Tyrus (20), the design's default. */
    public static final int RANKING = 10;
    /** Milliseconds to wait for the platform's close frame after sending ours before the TCP connection is cut. */
    static final long CLOSE_REPLY_TIMEOUT_MILLIS = 1_000;

    private final HttpClients clients = new HttpClients("sepl-connector-jdk-io");
    /** Connections open now, closed by {@link #close()}. */
    private final Set<JdkConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A transport; it starts no thread until the first connection. */
    public JdkWebSocketTransport() {
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
        if (closed) {
            throw new IllegalStateException("the jdk transport is closed");
        }
        if (options.proxy().filter(HttpProxy::authenticates).isPresent() && ProxyAuthentication.basicDisabledForTunnels()) {
            throw new IOException(ProxyAuthentication.DISABLED_EXPLAINED);
        }
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        HttpClients.Lease lease = clients.lease(options.sslContext().orElse(null), secure, options.proxy().orElse(null));
        JdkConnection connection = new JdkConnection(listener, options.maxMessageBytes(), clients.io(), c -> {
            open.remove(c);
            lease.release();
        });
        Duration timeout = options.handshakeTimeout();
        WebSocket.Builder builder = lease.client().newWebSocketBuilder().connectTimeout(timeout);
        options.proxy().filter(HttpProxy::authenticates).ifPresent(p -> builder.header("Proxy-Authorization",
                "Basic " + Base64.getEncoder().encodeToString((p.user() + ":" + p.password())
                        .getBytes(StandardCharsets.UTF_8))));
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, connection);
        try {
            connection.socket = opening.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            lease.release();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(describe(cause), cause); // the client words the cause chain for humans
        } catch (TimeoutException e) {
            lease.release();
            opening.thenAccept(WebSocket::abort); // should it still open
            throw new IOException("no WebSocket handshake within " + timeout, e);
        } catch (InterruptedException e) {
            lease.release();
            Thread.currentThread().interrupt();
            opening.thenAccept(WebSocket::abort);
            throw new IOException("interrupted while connecting", e);
        }
        open.add(connection);
        if (closed) {
            connection.close(1001, "transport closed");
        }
        return connection;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof WebSocketHandshakeException refused) {
            return "the WebSocket upgrade was answered with HTTP " + refused.getResponse().statusCode();
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    /** Closes the connections still open (1001) and ends the I/O threads. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (JdkConnection c : List.copyOf(open)) {
            c.close(1001, "transport closed");
        }
        clients.close();
    }

    private static final class JdkConnection implements Connection, WebSocket.Listener {
        private record Outgoing(String text, Consumer<Throwable> onFailure) {
        }

        private final Listener listener;
        private final Consumer<JdkConnection> gone;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Queue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
        /** True while one frame is being written: the JDK allows one at a time. */
        private final AtomicBoolean writing = new AtomicBoolean();
        private final CompletableFuture<Void> peerClosed = new CompletableFuture<>();
        /** The message being received (I/O thread only). */
        private final MessageAssembler incoming;
        /** Runs {@link #writerLoop}: the transport's I/O threads. */
        private final Executor writers;
        /** True while a {@link #writerLoop} is scheduled or running: one at a time per connection. */
        private final AtomicBoolean writerScheduled = new AtomicBoolean();
        /** Whether a frame is isolated (written at once) or one of a stream (written by the I/O threads). */
        private final SendCadence cadence = new SendCadence();
        volatile WebSocket socket;

        JdkConnection(Listener listener, int maxFrameBytes, Executor writers, Consumer<JdkConnection> gone) {
            this.listener = listener;
            this.incoming = new MessageAssembler(maxFrameBytes);
            this.writers = writers;
            this.gone = gone;
        }

        // ---- Connection --------------------------------------------------------------------------------------

        /**
         * Queues the frame. An isolated frame (a command's answer, one event) whose connection writes nothing now is
         * written at once on the caller's thread: the JDK hands the bytes to the socket without blocking (or keeps
         * them for its own I/O), and the interactive paths save a hand-over between threads. Frames of a stream
         * ({@link SendCadence}) are written by the I/O threads, so a caller streaming events spends its time
         * producing them while another core writes.
         */
        @Override
        public void send(String text, Consumer<Throwable> onFailure) {
            outgoing.add(new Outgoing(text, onFailure));
            boolean stream = cadence.partOfStream();
            if (writerScheduled.compareAndSet(false, true)) {
                if (stream) {
                    scheduleWriter();
                    return;
                }
                writeQueued(1);
                writerScheduled.set(false);
                if (!writing.get() && !outgoing.isEmpty() && writerScheduled.compareAndSet(false, true)) {
                    scheduleWriter();
                }
            }
        }

        private void scheduleWriter() {
            try {
                writers.execute(this::writerLoop);
            } catch (RejectedExecutionException e) {
                // the I/O threads are gone (the HTTP clients were closed): the write fails here and says so
                writerScheduled.set(false);
                writeQueued(Integer.MAX_VALUE);
            }
        }

        /** Writes what is queued; a frame queued while it finishes is written by it or by the next one scheduled. */
        private void writerLoop() {
            while (true) {
                writeQueued(Integer.MAX_VALUE);
                writerScheduled.set(false);
                // a write still pending goes on from its completion; else a frame queued meanwhile is ours to write
                if (writing.get() || outgoing.isEmpty() || !writerScheduled.compareAndSet(false, true)) {
                    return;
                }
            }
        }

        /**
         * Writes queued frames one after another until the queue is empty, a write is pending or {@code limit} frames
         * were written here. Whichever of the writer and the pending write's completion comes second goes on, so
         * that a completion that runs at once on the writing thread does not recurse.
         */
        private void writeQueued(int limit) {
            for (int n = 0; n < limit && !outgoing.isEmpty() && writing.compareAndSet(false, true); n++) {
                Outgoing next = outgoing.poll();
                if (next == null) {
                    writing.set(false);
                    continue;
                }
                AtomicBoolean secondGoesOn = new AtomicBoolean();
                CompletableFuture<WebSocket> written;
                try {
                    written = socket.sendText(next.text, true);
                } catch (RuntimeException e) {
                    written = CompletableFuture.failedFuture(e);
                }
                written.whenComplete((ws, error) -> {
                    if (error != null) {
                        next.onFailure.accept(error);
                    }
                    if (!secondGoesOn.compareAndSet(false, true)) {
                        writing.set(false);
                        writeQueued(Integer.MAX_VALUE);
                    }
                });
                if (secondGoesOn.compareAndSet(false, true)) {
                    return; // the completion goes on
                }
                writing.set(false);
            }
        }

        @Override
        public void ping() {
            try {
                socket.sendPing(ByteBuffer.allocate(0));
            } catch (RuntimeException e) {
                // the keep-alive notices the missing pong and drops the connection
            }
        }

        @Override
        public void close(int code, String reason) {
            WebSocket ws = socket;
            if (ws == null) {
                closed(code, reason);
                return;
            }
            try {
                ws.sendClose(code, reason).whenComplete((w, e) -> peerClosed
                        .orTimeout(CLOSE_REPLY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .whenComplete((v, timeout) -> ws.abort()));
            } catch (RuntimeException e) {
                ws.abort();
            }
            closed(code, reason);
        }

        private void closed(int code, String reason) {
            if (closed.compareAndSet(false, true)) {
                Outgoing unsent;
                while ((unsent = outgoing.poll()) != null) {
                    unsent.onFailure.accept(new IOException("connection closed"));
                }
                gone.accept(this);
                listener.onClosed(code, reason);
            }
        }

        // ---- WebSocket.Listener (the JDK's I/O threads) ------------------------------------------------------

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(Long.MAX_VALUE); // the listener never blocks: read as fast as frames come
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String message = incoming.add(data, last);
            if (incoming.overLimit()) {
                webSocket.abort();
                closed(MessageAssembler.TOO_BIG, incoming.overLimitReason());
            } else if (message != null) {
                listener.onText(message);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            listener.onPong();
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            peerClosed.complete(null);
            closed(statusCode, reason);
            return null; // the JDK then answers with its close frame
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            peerClosed.complete(null);
            closed(1006, String.valueOf(error));
        }
    }
}
