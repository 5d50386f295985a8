package org.sepl.connector.impl.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

/**
 * {@link WebSocketTransport} on the JDK's own WebSocket client ({@code java.net.http}): no library, no class loader
 * tricks in OSGi ({@code java.*} always comes from the JVM).
 * <p>
 * The JDK allows one text frame in flight per connection; frames wait in this transport's queue and are written one
 * after another in the order {@link Connection#send} was called, by the I/O threads: {@code send} only queues. A
 * caller that sends a stream of events then spends its time producing them while another core writes (measured:
 * acknowledged events up from about 107,000 to 127,000-143,000/s, benchmarks/README.md); a lone frame costs one
 * hand-off (command round trip p50 +5 us).
 */
public final class JdkWebSocketTransport implements WebSocketTransport {

    /** Milliseconds to wait for the platform's close frame after sending ours before the TCP connection is cut. */
    static final long CLOSE_REPLY_TIMEOUT_MILLIS = 1_000;

    private final SSLContext sslContext;
    private final int maxFrameBytes;
    private final HttpClients clients;
    /** Whether {@link #shutdown()} ends {@link #clients}: not when they are shared. */
    private final boolean ownClients;

    /**
     * A transport with HTTP clients (and I/O threads) of its own.
     *
     * @param sslContext    trust for wss (host names are always verified); null: the JVM's default
     * @param maxFrameBytes the largest message accepted from the platform; a larger one closes the connection (1009)
     * @param threadName    name of its I/O threads
     */
    public JdkWebSocketTransport(SSLContext sslContext, int maxFrameBytes, String threadName) {
        this(sslContext, maxFrameBytes, new HttpClients(threadName), true);
    }

    /** A transport on HTTP clients shared with other clients' transports; {@link #shutdown()} leaves them. */
    public JdkWebSocketTransport(SSLContext sslContext, int maxFrameBytes, HttpClients shared) {
        this(sslContext, maxFrameBytes, java.util.Objects.requireNonNull(shared, "shared must not be null"), false);
    }

    /**
     * The transport a client with these settings uses: on {@code shared} HTTP clients, or (null) on its own with I/O
     * threads named after the client's account.
     */
    public static JdkWebSocketTransport forClient(org.sepl.connector.impl.ClientSettings settings, HttpClients shared) {
        return shared != null ? new JdkWebSocketTransport(settings.sslContext(), settings.maxFrameBytes(), shared)
                : new JdkWebSocketTransport(settings.sslContext(), settings.maxFrameBytes(),
                        "sepl-connector-io " + settings.account());
    }

    private JdkWebSocketTransport(SSLContext sslContext, int maxFrameBytes, HttpClients clients, boolean ownClients) {
        this.sslContext = sslContext;
        this.maxFrameBytes = maxFrameBytes;
        this.clients = clients;
        this.ownClients = ownClients;
    }

    @Override
    public Connection connect(URI uri, Listener listener, Duration timeout) throws IOException {
        HttpClient client = clients.client(sslContext, "wss".equalsIgnoreCase(uri.getScheme()));
        JdkConnection connection = new JdkConnection(listener, maxFrameBytes, clients.io());
        CompletableFuture<WebSocket> opening = client.newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(uri, connection);
        try {
            connection.socket = opening.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return connection;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(describe(cause), cause); // the caller names the URI
        } catch (TimeoutException e) {
            opening.thenAccept(WebSocket::abort); // should it still open
            throw new IOException("no WebSocket handshake within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opening.thenAccept(WebSocket::abort);
            throw new IOException("interrupted while connecting", e);
        }
    }

    private static String describe(Throwable failure) {
        if (failure instanceof WebSocketHandshakeException refused) {
            return "the WebSocket upgrade was answered with HTTP " + refused.getResponse().statusCode();
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    @Override
    public void shutdown() {
        if (ownClients) {
            clients.close();
        }
    }

    /** The length in UTF-8 of text the JDK decoded from the wire (so surrogates come in pairs: 4 bytes). */
    static long utf8Length(CharSequence text) {
        long bytes = text.length();
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x800) {
                bytes += Character.isSurrogate(c) ? 1 : 2; // a pair is 2 chars and 4 bytes
            } else if (c >= 0x80) {
                bytes++;
            }
        }
        return bytes;
    }

    private static final class JdkConnection implements Connection, WebSocket.Listener {
        private record Outgoing(String text, Consumer<Throwable> onFailure) {
        }

        private final Listener listener;
        private final int maxFrameBytes;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Queue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
        /** True while one frame is being written: the JDK allows one at a time. */
        private final AtomicBoolean writing = new AtomicBoolean();
        private final CompletableFuture<Void> peerClosed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder(); // I/O thread only
        /**
         * UTF-8 bytes of {@link #partial}, counted only once the message could be over the limit (a char is at most
         * 3 bytes); -1 until then, so that the usual small message is never counted. I/O thread only.
         */
        private long partialBytes = -1;
        /** Runs {@link #writerLoop}: the transport's I/O threads. */
        private final Executor writers;
        /** True while a {@link #writerLoop} is scheduled or running: one at a time per connection. */
        private final AtomicBoolean writerScheduled = new AtomicBoolean();
        volatile WebSocket socket;

        JdkConnection(Listener listener, int maxFrameBytes, Executor writers) {
            this.listener = listener;
            this.maxFrameBytes = maxFrameBytes;
            this.writers = writers;
        }

        // ---- Connection --------------------------------------------------------------------------------------

        @Override
        public void send(String text, Consumer<Throwable> onFailure) {
            outgoing.add(new Outgoing(text, onFailure));
            if (writerScheduled.compareAndSet(false, true)) {
                try {
                    writers.execute(this::writerLoop);
                } catch (RejectedExecutionException e) {
                    // the I/O threads are gone (the HTTP clients were closed): the write fails here and says so
                    writerScheduled.set(false);
                    writeQueued();
                }
            }
        }

        /** Writes what is queued; a frame queued while it finishes is written by it or by the next one scheduled. */
        private void writerLoop() {
            while (true) {
                writeQueued();
                writerScheduled.set(false);
                // a write still pending goes on from its completion; else a frame queued meanwhile is ours to write
                if (writing.get() || outgoing.isEmpty() || !writerScheduled.compareAndSet(false, true)) {
                    return;
                }
            }
        }

        /**
         * Writes queued frames one after another until the queue is empty or a write is pending. Whichever of the
         * writer and the pending write's completion comes second goes on, so that a completion that runs at once on
         * the writing thread does not recurse.
         */
        private void writeQueued() {
            while (!outgoing.isEmpty() && writing.compareAndSet(false, true)) {
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
                        writeQueued();
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
            if (3L * (partial.length() + data.length()) > maxFrameBytes) {
                if (partialBytes < 0) {
                    partialBytes = utf8Length(partial);
                }
                partialBytes += utf8Length(data);
                if (partialBytes > maxFrameBytes) {
                    partial.setLength(0);
                    partialBytes = -1;
                    webSocket.abort();
                    closed(1009, "message larger than " + maxFrameBytes + " bytes");
                    return null;
                }
            }
            if (last && partial.length() == 0) {
                partialBytes = -1;
                listener.onText(data.toString()); // the usual case: a whole message at once, no copy
                return null;
            }
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                partialBytes = -1;
                listener.onText(text);
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
