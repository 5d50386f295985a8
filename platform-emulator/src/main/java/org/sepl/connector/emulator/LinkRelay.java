package org.sepl.connector.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TCP relay in front of the WebSocket server, for the faults the WebSocket library gives no hold on: a
 * connection that goes silent both ways (half-open: the relay stops reading the gateway and drops what the
 * platform sends, and closes nothing) and a slow reader (the relay reads the gateway at most
 * {@code slowReader} bytes per second, so the gateway's writes back up through TCP; bytes are forwarded as they
 * are, nothing is lost or reordered). Only there with {@code Builder.linkFaults}, or {@code requireClientCertificate}:
 * then it is the TLS end too (the JDK's TLS server socket, requiring a client certificate its context trusts), and
 * relays plain bytes to the WebSocket server. The fault-free path has no hop.
 * <p>
 * Blocking sockets, two threads per connection (one per direction), a fixed buffer per direction: memory stays
 * bounded whatever the peers do. The platform closing its side ends the pair; the gateway closing its side is
 * passed on as a half-close.
 */
final class LinkRelay implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LinkRelay.class.getName());
    private static final int BUFFER_BYTES = 16 * 1024;
    /**
     * The receive buffer of the gateways' sockets (the kernel doubles it): small, so that a slow reader's
     * back-pressure reaches the gateway after some 100 KB rather than megabytes.
     */
    static final int RECEIVE_BUFFER_BYTES = 32 * 1024;
    /** Silenced connections kept open at most; beyond, the oldest is closed (each holds a socket). */
    static final int MAX_SILENCED = 1024;
    /** A slow reader reads in chunks of a twentieth of its rate, so the pace is even within a second. */
    private static final int CHUNKS_PER_SECOND = 20;
    /** How long a gateway may take for its part of the TLS handshake. */
    private static final int TLS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final FaultInjector faults;
    private final Map<Integer, Pair> byPlatformSidePort = new ConcurrentHashMap<>();
    private final ArrayDeque<Pair> silenced = new ArrayDeque<>(); // guarded by itself
    private volatile boolean closed;

    /** @param clientAuthTls null: plain TCP; else TLS with this context, requiring a client certificate it trusts */
    LinkRelay(InetSocketAddress listen, InetSocketAddress target, FaultInjector faults, SSLContext clientAuthTls)
            throws IOException {
        PortInUseException.check(listen, PortInUseException.Server.WEBSOCKET);
        this.target = target;
        this.faults = faults;
        if (clientAuthTls == null) {
            server = new ServerSocket();
        } else {
            SSLServerSocket tls = (SSLServerSocket) clientAuthTls.getServerSocketFactory().createServerSocket();
            tls.setNeedClientAuth(true);
            server = tls;
        }
        server.setReuseAddress(true);
        server.setReceiveBufferSize(RECEIVE_BUFFER_BYTES); // inherited by accepted sockets; must precede bind
        server.bind(listen, Endpoint.ACCEPT_BACKLOG);
        thread("platform-emulator-relay-accept", this::accept).start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket gateway = server.accept();
                thread("platform-emulator-relay-in", () -> connect(gateway)).start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.DEBUG, "Relay accept failed: {0}", e.toString());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // e.g. out of file descriptors: do not spin
                }
            }
        }
    }

    private void connect(Socket gateway) {
        Socket platform = new Socket();
        try {
            gateway.setTcpNoDelay(true);
            if (gateway instanceof SSLSocket tls) {
                tls.setSoTimeout(TLS_HANDSHAKE_TIMEOUT_MILLIS);
                tls.startHandshake(); // a gateway without a trusted certificate is refused here, with a TLS alert
                tls.setSoTimeout(0);
            }
            platform.setTcpNoDelay(true);
            platform.connect(target, 5_000);
        } catch (IOException e) {
            closeQuietly(gateway);
            closeQuietly(platform);
            return;
        }
        Pair pair = new Pair(gateway, platform);
        byPlatformSidePort.put(platform.getLocalPort(), pair);
        thread("platform-emulator-relay-out", pair::platformToGateway).start();
        pair.gatewayToPlatform();
    }

    /** The gateway's address of a connection the WebSocket server sees coming from {@code platformSide}. */
    InetSocketAddress clientAddress(InetSocketAddress platformSide) {
        Pair pair = platformSide == null ? null : byPlatformSidePort.get(platformSide.getPort());
        return pair == null ? platformSide : pair.gatewayAddress;
    }

    /** Silences the connection the WebSocket server sees coming from {@code platformSide}. */
    void silence(InetSocketAddress platformSide) {
        Pair pair = platformSide == null ? null : byPlatformSidePort.get(platformSide.getPort());
        if (pair != null) {
            pair.silence();
        }
    }

    void silenceAll() {
        byPlatformSidePort.values().forEach(Pair::silence);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        byPlatformSidePort.values().forEach(Pair::closeBoth);
        synchronized (silenced) {
            silenced.forEach(Pair::closeBoth);
            silenced.clear();
        }
    }

    /** One gateway connection and its connection to the WebSocket server. */
    private final class Pair {
        final Socket gateway;
        final Socket platform;
        final InetSocketAddress gatewayAddress;
        final int platformSidePort;
        volatile boolean silent;

        Pair(Socket gateway, Socket platform) {
            this.gateway = gateway;
            this.platform = platform;
            SocketAddress a = gateway.getRemoteSocketAddress();
            this.gatewayAddress = a instanceof InetSocketAddress i ? i : null;
            this.platformSidePort = platform.getLocalPort();
        }

        /** The gateway's bytes to the platform, at the slow reader's pace if one is set; stops reading once silent. */
        void gatewayToPlatform() {
            byte[] buffer = new byte[BUFFER_BYTES];
            long nextRead = System.nanoTime();
            boolean slowed = false;
            try {
                InputStream in = gateway.getInputStream();
                OutputStream out = platform.getOutputStream();
                while (!silent) {
                    int rate = faults.slowReaderBytesPerSecond();
                    int n = in.read(buffer, 0, rate > 0 ? Math.max(1, Math.min(buffer.length, rate / CHUNKS_PER_SECOND)) : buffer.length);
                    if (n < 0) {
                        platform.shutdownOutput(); // the gateway half-closed: pass it on
                        return;
                    }
                    if (silent) {
                        return; // read just as the link went silent: lost, as on a dead link
                    }
                    out.write(buffer, 0, n);
                    if (rate > 0) {
                        if (!slowed) {
                            slowed = true;
                            faults.count(FaultKind.SLOW_READ);
                        }
                        nextRead = Math.max(nextRead, System.nanoTime()) + TimeUnit.SECONDS.toNanos(n) / rate;
                        pauseUntil(nextRead);
                    }
                }
            } catch (IOException e) {
                if (!silent) {
                    closeBoth();
                }
            }
        }

        /** The platform's bytes to the gateway (dropped once silent); the platform closing ends the pair. */
        void platformToGateway() {
            byte[] buffer = new byte[BUFFER_BYTES];
            try {
                InputStream in = platform.getInputStream();
                OutputStream out = gateway.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!silent) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // either side gone
            }
            byPlatformSidePort.remove(platformSidePort);
            closeQuietly(platform);
            if (!silent) {
                closeQuietly(gateway); // a silent gateway socket stays open: see silence()
            }
        }

        /**
         * Half-open from now on: the gateway is no longer read (its writes back up in TCP) and gets nothing (the
         * platform's frames and pings are dropped here), and no side is closed. The platform's side times out by
         * itself (its read timeout); the gateway's socket is kept until the relay closes, at most
         * {@link #MAX_SILENCED} of them.
         */
        void silence() {
            if (silent) {
                return;
            }
            silent = true;
            faults.count(FaultKind.SILENCED);
            Pair evicted = null;
            synchronized (silenced) {
                silenced.addLast(this);
                if (silenced.size() > MAX_SILENCED) {
                    evicted = silenced.pollFirst();
                }
            }
            if (evicted != null) {
                evicted.closeBoth();
            }
        }

        void closeBoth() {
            closeQuietly(gateway);
            closeQuietly(platform);
        }
    }

    private static void pauseUntil(long deadlineNanos) {
        long wait;
        while ((wait = deadlineNanos - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(wait);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
