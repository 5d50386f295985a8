package org.sepl.connector.transport.jdk;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;


/**
 * The JDK HTTP clients behind one transport: one for ws://, one per TLS context and proxy for wss:// (the JDK sets
 * both per client), all on one small idle-timed pool of I/O threads that {@link #close()} ends.
 * <p>
 * A connection holds a {@link Lease} on its client while it is open. When a client of another TLS context or proxy
 * is made, the clients no connection holds are dropped: a client's TLS context changes for good when its trust or
 * key store is replaced on disk (connector.impl then makes a new context), and the old client would otherwise stay,
 * with its selector thread, for as long as the transport.
 * <p>
 * Each JDK client also has a selector thread of its own ({@code HttpClient-N-SelectorManager}). Java 17 gives no
 * way to end it: it ends by itself once its client is unreachable (after the next garbage collection) with no
 * connection open. Clients that share a transport share these threads too.
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

    /** What a JDK client is made for: the TLS context (null: the JVM's) and the proxy (null: the JVM's). */
    private record Kind(SSLContext tls, boolean secure, org.sepl.connector.api.transport.HttpProxy proxy) {
    }

    /** One connection's (or connect attempt's) use of a client: {@link #release()} when it ends. */
    final class Lease {
        private final Kind kind;
        private final HttpClient client;
        private boolean released; // guarded by HttpClients.this

        private Lease(Kind kind, HttpClient client) {
            this.kind = kind;
            this.client = client;
        }

        HttpClient client() {
            return client;
        }

        /** The connection is closed (or never opened). Idempotent. */
        void release() {
            synchronized (HttpClients.this) {
                if (!released) {
                    released = true;
                    leases.merge(kind, -1, (a, b) -> a + b == 0 ? null : a + b);
                }
            }
        }
    }

    private final ThreadPoolExecutor io;
    private final Map<Kind, HttpClient> clients = new HashMap<>(); // guarded by this
    private final Map<Kind, Integer> leases = new HashMap<>(); // guarded by this; absent: none
    private boolean closed; // guarded by this

    /** @param threadName name of the I/O threads (numbered); the threads are daemons */
    public HttpClients(String threadName) {
        AtomicInteger n = new AtomicInteger();
        io = new ThreadPoolExecutor(IO_THREADS_MAX, IO_THREADS_MAX, IO_THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, threadName + " #" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        io.allowCoreThreadTimeOut(true); // idle, none are left
    }

    /**
     * The client for ws:// ({@code secure} false) or for wss:// with this trust ({@code context} null: the JVM's
     * default), through {@code proxy} (null: the JVM's proxy settings), created the first time; held until the lease
     * is released.
     *
     * @throws IllegalStateException if closed
     */
    synchronized Lease lease(SSLContext context, boolean secure, org.sepl.connector.api.transport.HttpProxy proxy) {
        if (closed) {
            throw new IllegalStateException("the transport is closed");
        }
        Kind kind = new Kind(secure ? context : null, secure, proxy);
        HttpClient client = clients.get(kind);
        if (client == null) {
            clients.keySet().removeIf(k -> !leases.containsKey(k)); // unused: garbage, its selector thread ends
            client = newClient(kind);
            clients.put(kind, client);
        }
        leases.merge(kind, 1, Integer::sum);
        return new Lease(kind, client);
    }

    private HttpClient newClient(Kind kind) {
        HttpClient.Builder builder = HttpClient.newBuilder().executor(io);
        if (!kind.secure()) {
            builder.sslContext(plainOnlyTlsContext());
        } else if (kind.tls() != null) {
            builder.sslContext(kind.tls()); // host names are verified, as always by the JDK client
        }
        if (kind.proxy() != null) {
            builder.proxy(ProxySelector.of(new InetSocketAddress(kind.proxy().host(), kind.proxy().port())));
        }
        return builder.build();
    }

    /**
     * The TLS context of the client that only ever opens ws://. The JDK client wants one even then, and building a
     * real one loads the JSSE provider (in a fresh JVM 120-200 ms of the first connect, measured, more than the
     * rest of the handshake; the JVM's default context also parses the whole CA keystore). This one is a stub that
     * fails if anything ever tries TLS through it.
     */
    public static SSLContext plainOnlyTlsContext() {
        return new PlainOnlyTlsContext();
    }

    private static final class PlainOnlyTlsContext extends SSLContext {
        PlainOnlyTlsContext() {
            super(new NoTls(), null, "none (ws:// only)");
        }
    }

    private static final class NoTls extends SSLContextSpi {
        private static IllegalStateException refused() {
            return new IllegalStateException("TLS through the HTTP client for ws:// (a wss:// URI uses another client)");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters(); // read once by the JDK client's constructor, never used for ws://
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }
    }

    /** The I/O threads: the JDK client's tasks and the transport's frame writers (neither ever blocks). */
    Executor io() {
        return io;
    }

    /** How many JDK clients the differing TLS and proxy settings needed (1 when all connections are alike). */
    public synchronized int clientCount() {
        return clients.size();
    }

    /** Ends the I/O threads once their work is done; the connections made through these clients must be closed. */
    @Override
    public synchronized void close() {
        closed = true;
        clients.clear();
        leases.clear();
        io.shutdown();
    }
}
