package org.sepl.connector.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TCP middleman for transport tests, on a loopback port of its own: an HTTP {@code CONNECT} proxy (with optional
 * basic authentication), a relay to a fixed target that reads from the client at a limited byte rate (a platform
 * that reads slowly, so that the client's writes back up), or a TLS end in front of a plain server that requires a
 * client certificate (mutual TLS on the JDK's TLS server socket). Blocking sockets, two threads per connection: test
 * code, not for production.
 */
public final class TestProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress fixedTarget;
    private final String credentials;
    private final int clientBytesPerSecond;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** The {@code CONNECT} targets that were let through ({@code host:port}). */
    public final List<String> tunnels = new CopyOnWriteArrayList<>();
    /** {@code CONNECT}s refused for want of the right credentials. */
    public final AtomicInteger refused = new AtomicInteger();

    private TestProxy(InetSocketAddress fixedTarget, String user, String password, int clientBytesPerSecond,
            SSLContext clientAuthTls) throws IOException {
        this.fixedTarget = fixedTarget;
        this.credentials = user == null ? null
                : Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.clientBytesPerSecond = clientBytesPerSecond;
        if (clientAuthTls == null) {
            server = new ServerSocket();
        } else {
            SSLServerSocket tls = (SSLServerSocket) clientAuthTls.getServerSocketFactory().createServerSocket();
            tls.setNeedClientAuth(true);
            server = tls;
        }
        server.setReceiveBufferSize(8 * 1024); // accepted sockets inherit it: back-pressure shows soon
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An HTTP CONNECT proxy; with a {@code user}, only for {@code Proxy-Authorization: Basic} of user and password. */
    public static TestProxy connectProxy(String user, String password) throws IOException {
        return new TestProxy(null, user, password, 0, null);
    }

    /** A relay to {@code host:port} that reads what the client sends at most at {@code bytesPerSecond}. */
    public static TestProxy slowRelay(String host, int port, int bytesPerSecond) throws IOException {
        return new TestProxy(new InetSocketAddress(host, port), null, null, bytesPerSecond, null);
    }

    /**
     * The TLS end in front of a plain server at {@code host:port}: presents {@code tls}'s key and requires a client
     * certificate that {@code tls} trusts (e.g. {@link TestCertificates#presentingAndTrustingClients}); a client
     * without one is refused with a TLS alert, and the server never hears of it.
     */
    public static TestProxy tlsFront(SSLContext tls, String host, int port) throws IOException {
        return new TestProxy(new InetSocketAddress(host, port), null, null, 0, tls);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                daemon("test-proxy-connection", () -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try {
            if (client instanceof SSLSocket tls) {
                tls.setSoTimeout(10_000);
                tls.startHandshake(); // a client without a trusted certificate is refused here
                tls.setSoTimeout(0);
            }
            InetSocketAddress target = fixedTarget != null ? fixedTarget : tunnelRequest(client);
            if (target == null) {
                client.close();
                return;
            }
            Socket upstream = new Socket();
            sockets.add(upstream);
            upstream.connect(target, 5_000);
            if (fixedTarget == null) {
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
            daemon("test-proxy-down", () -> pump(upstream, client, 0));
            pump(client, upstream, clientBytesPerSecond);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Reads a CONNECT request; answers a refusal itself. @return where to, or null if refused */
    private InetSocketAddress tunnelRequest(Socket client) throws IOException {
        List<String> lines = headLines(client.getInputStream());
        if (lines.isEmpty() || !lines.get(0).startsWith("CONNECT ")) {
            reply(client, "HTTP/1.1 405 Method Not Allowed");
            return null;
        }
        if (credentials != null && lines.stream().noneMatch(l -> l.toLowerCase(Locale.ROOT)
                .startsWith("proxy-authorization:") && l.substring(l.indexOf(':') + 1).trim().equals("Basic " + credentials))) {
            refused.incrementAndGet();
            reply(client, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                    + "Content-Length: 0");
            return null;
        }
        String hostPort = lines.get(0).split(" ")[1];
        tunnels.add(hostPort);
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void reply(Socket client, String head) throws IOException {
        client.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
    }

    /** The request line and headers, up to the empty line, read byte by byte (nothing after it is consumed). */
    private static List<String> headLines(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() > 16 * 1024) {
                return List.of();
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return List.of(head.toString(StandardCharsets.US_ASCII).trim().split("\r\n"));
    }

    /** Copies until either side closes; with a rate, at most {@code bytesPerSecond} (paced in 1 KiB steps). */
    private void pump(Socket from, Socket to, int bytesPerSecond) {
        byte[] buffer = new byte[bytesPerSecond > 0 ? 1024 : 16 * 1024];
        long start = System.nanoTime();
        long copied = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
                copied += n;
                if (bytesPerSecond > 0) {
                    long due = start + TimeUnit.SECONDS.toNanos(copied) / bytesPerSecond;
                    long early = due - System.nanoTime();
                    if (early > 0) {
                        TimeUnit.NANOSECONDS.sleep(early); // the rate itself, not a wait for an event
                    }
                }
            }
        } catch (IOException e) {
            // a side closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TestProxy::closeQuietly);
    }
}
