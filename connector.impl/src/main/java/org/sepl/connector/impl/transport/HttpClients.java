package org.sepl.connector.impl.transport;

import java.net.http.HttpClient;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.sepl.connector.impl.executor.DaemonThreads;

/**
 * The JDK HTTP clients behind one transport, or shared by the transports of many clients: one for ws://, one per TLS
 * context for wss://, all on one small idle-timed pool of I/O threads that {@link #close()} ends.
 * <p>
 * Each JDK client also has a selector thread of its own ({@code HttpClient-N-SelectorManager}). Java 17 gives no
 * way to end it: it ends by itself once its client is unreachable (after the next garbage collection) with no
 * connection open. Sharing one instance between clients (through {@code ClientResources}) shares that thread too.
 */
public final class HttpClients implements AutoCloseable {

    /** Seconds an idle I/O thread is kept. */
    static final int IO_THREAD_KEEP_ALIVE_SECONDS = 10;

    /**
     * The most I/O threads, however many connections: their tasks never block (the JDK client is asynchronous and
     * the transport's listener hands every frame on), so a few serve many connections; unbounded, a fleet's start
     * burst made one per connection.
     */
    static final int IO_THREADS_MAX = 4;

    private final ThreadPoolExecutor io;
    private HttpClient plain; // guarded by this
    /** By TLS context; the null key: the JVM's default context. */
    private final Map<SSLContext, HttpClient> tls = new IdentityHashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    /** @param threadName name of the I/O threads (numbered) */
    public HttpClients(String threadName) {
        io = new ThreadPoolExecutor(IO_THREADS_MAX, IO_THREADS_MAX, IO_THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named(threadName));
        io.allowCoreThreadTimeOut(true); // idle, none are left
    }

    /**
     * The client for ws:// ({@code secure} false) or for wss:// with this trust ({@code context} null: the JVM's
     * default), created the first time.
     */
    synchronized HttpClient client(SSLContext context, boolean secure) {
        if (closed) {
            throw new IllegalStateException("the HTTP clients are closed");
        }
        if (!secure) {
            if (plain == null) {
                plain = newClient(unusedTlsContext());
            }
            return plain;
        }
        return tls.computeIfAbsent(context, this::newClient);
    }

    private HttpClient newClient(SSLContext context) {
        HttpClient.Builder builder = HttpClient.newBuilder().executor(io);
        if (context != null) {
            builder.sslContext(context); // host names are verified, as always by the JDK client
        }
        return builder.build();
    }

    /**
     * A TLS context that trusts nothing, for the client that only ever opens ws://: without one the JDK client
     * builds the JVM's default context, loading and parsing the whole CA keystore (about 0.1 s of a fresh JVM's
     * start) for connections that never use it.
     */
    private static SSLContext unusedTlsContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no TLS", e);
        }
    }

    /** How many JDK clients the differing TLS settings needed (1 when all clients are configured alike). */
    public synchronized int clientCount() {
        return (plain == null ? 0 : 1) + tls.size();
    }

    /** Ends the I/O threads once their work is done; the connections made through these clients must be closed. */
    @Override
    public synchronized void close() {
        closed = true;
        plain = null;
        tls.clear();
        io.shutdown();
    }
}
