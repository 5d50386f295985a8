package org.sepl.connector.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sepl.connector.api.transport.ConnectionOptions;
import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.api.transport.WebSocketTransport.Connection;

/**
 * The {@link WebSocketTransport} contract, as its javadoc writes it, checked against a real WebSocket server
 * (Java-WebSocket) on loopback. A transport's test extends this class and says how to make the transport:
 *
 * <pre>{@code
 * class MyTransportContractTest extends WebSocketTransportContract {
 *     protected WebSocketTransport newTransport() { return new MyTransport(); }
 * }
 * }</pre>
 */
public abstract class WebSocketTransportContract {

    /** The incoming message limit of the connections of this suite: 64 KiB. */
    protected static final int LIMIT = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Client key stores for mutual TLS, made when first needed ({@link TestCertificates#generateKeyStore}). */
    @TempDir
    static Path clientKeys;

    private ContractServer server;
    private WebSocketTransport transport;

    /** @return a new, unused transport; the suite closes it after each test */
    protected abstract WebSocketTransport newTransport();

    @BeforeEach
    void startServerAndTransport() throws Exception {
        server = new ContractServer(null).started();
        transport = newTransport();
    }

    @AfterEach
    void stopServerAndTransport() {
        transport.close();
        server.stopQuietly();
    }

    private static ConnectionOptions.Builder options() {
        return ConnectionOptions.builder().maxMessageBytes(LIMIT).handshakeTimeout(TIMEOUT);
    }

    private Connection connect(RecordingListener listener) throws IOException {
        return transport.connect(server.uri(), options().build(), listener);
    }

    // ---- sending ----------------------------------------------------------------------------------------------

    @Test
    void framesSentFromManyThreadsAllArriveEachSendersInOrder() throws Exception {
        Connection connection = connect(new RecordingListener());
        int senders = 4;
        int perSender = 2_500;
        server.expect(senders * perSender);
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            int sender = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perSender; i++) {
                    connection.send(sender + ":" + i, error -> failures.incrementAndGet());
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(server.awaitExpected(20), "all frames arrived: " + server.messages.size());
        assertEquals(0, failures.get());
        Map<Integer, Integer> next = new HashMap<>();
        for (String m : server.messages) {
            int sender = Integer.parseInt(m.substring(0, m.indexOf(':')));
            int n = Integer.parseInt(m.substring(m.indexOf(':') + 1));
            assertEquals(next.getOrDefault(sender, 0), n, "sender " + sender + "'s frames in order");
            next.put(sender, n + 1);
        }
    }

    /**
     * A platform that reads slowly (a relay reading 4 MiB/s) while 8 MiB are sent: {@code send} returns long before
     * the platform has read them, and every frame arrives, in order, the last one too without any later send to
     * push it out (a write stall of a transport's queue would leave it waiting).
     */
    @Test
    void aSlowReadingPeerDelaysFramesButNoneIsLostReorderedOrStuck() throws Exception {
        try (TestProxy slow = TestProxy.slowRelay("127.0.0.1", server.getPort(), 4 * 1024 * 1024)) {
            Connection connection = transport.connect(URI.create("ws://127.0.0.1:" + slow.port() + "/"),
                    options().build(), new RecordingListener());
            int frames = 1_024;
            String padding = "p".repeat(8 * 1024);
            server.expect(frames);
            AtomicInteger failures = new AtomicInteger();
            for (int i = 0; i < frames; i++) {
                connection.send(i + ":" + padding, error -> failures.incrementAndGet());
            }
            int readWhenSent = server.messages.size();
            assertTrue(readWhenSent < frames, "send waited for the platform to read (" + readWhenSent + " read)");
            assertTrue(server.awaitExpected(30), "all frames arrived: " + server.messages.size() + " of " + frames);
            assertEquals(0, failures.get());
            int expected = 0;
            for (String m : server.messages) {
                assertEquals(expected++, Integer.parseInt(m.substring(0, m.indexOf(':'))), "in order");
            }
        }
    }

    // ---- receiving ----------------------------------------------------------------------------------------------

    /** Over the limit: 1-byte characters, 2-byte characters (fewer chars than the limit), and one frame far over it. */
    static List<String> overTheLimit() {
        return List.of("x".repeat(LIMIT + 1), "é".repeat(LIMIT / 2 + 1), "z".repeat(4 * LIMIT));
    }

    @ParameterizedTest
    @MethodSource("overTheLimit")
    void aMessageOverTheLimitInBytesClosesTheConnectionWith1009AndSaysWhy(String message) throws Exception {
        RecordingListener listener = new RecordingListener();
        connect(listener);
        server.session().send(message);
        assertEquals("1009 message larger than " + LIMIT + " bytes", listener.awaitClosed());
        assertTrue(listener.texts.isEmpty(), "the message is not delivered");
    }

    /** Exactly the limit: 1-byte characters; 4-byte (surrogate pairs), 3-, 2- and 1-byte ones. */
    static List<String> upToTheLimit() {
        return List.of("y".repeat(LIMIT),
                "\uD83D\uDCA1".repeat(LIMIT / 8) + "€".repeat(LIMIT / 8) + "é".repeat(LIMIT / 32) + "ab".repeat(LIMIT / 32));
    }

    @ParameterizedTest
    @MethodSource("upToTheLimit")
    void aMessageUpToTheLimitIsDeliveredWhole(String big) throws Exception {
        assertEquals(LIMIT, big.getBytes(StandardCharsets.UTF_8).length);
        RecordingListener listener = new RecordingListener();
        connect(listener);
        server.session().send(big);
        server.session().send("after");
        listener.awaitTexts(2);
        assertEquals(List.of(big, "after"), List.copyOf(listener.texts));
    }

    @Test
    void aMessageInFragmentsIsDeliveredWhole() throws Exception {
        RecordingListener listener = new RecordingListener();
        connect(listener);
        sendInFragments("part-1|", "part-2|", "part-3");
        listener.awaitTexts(1);
        assertEquals("part-1|part-2|part-3", listener.texts.peek());
    }

    @Test
    void fragmentsThatTogetherExceedTheLimitClose1009() throws Exception {
        RecordingListener listener = new RecordingListener();
        connect(listener);
        String half = "h".repeat(LIMIT / 2 + 1);
        sendInFragments(half, half);
        assertEquals("1009 message larger than " + LIMIT + " bytes", listener.awaitClosed());
        assertTrue(listener.texts.isEmpty(), "the message is not delivered");
    }

    private void sendInFragments(String... parts) throws Exception {
        for (int i = 0; i < parts.length; i++) {
            server.session().sendFragmentedFrame(Opcode.TEXT,
                    ByteBuffer.wrap(parts[i].getBytes(StandardCharsets.UTF_8)), i == parts.length - 1);
        }
    }

    @Test
    void pingsAreAnsweredWithPongs() throws Exception {
        RecordingListener listener = new RecordingListener();
        connect(listener).ping();
        listener.pong.get(5, TimeUnit.SECONDS);
    }

    // ---- closing ------------------------------------------------------------------------------------------------

    @Test
    void closeSendsItsCodeAndReasonAndReportsTheCloseOnce() throws Exception {
        RecordingListener listener = new RecordingListener();
        Connection connection = connect(listener);
        connection.close(1000, "gateway shutting down");
        assertEquals("1000 gateway shutting down", server.closed.get(5, TimeUnit.SECONDS));
        assertEquals("1000 gateway shutting down", listener.awaitClosed());
        connection.close(1000, "again");
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        connection.send("too late", failure::complete);
        assertNotNull(failure.get(5, TimeUnit.SECONDS), "a frame sent after the close is reported, not dropped");
        assertEquals(1, listener.closes.get());
        assertEquals(0, listener.callsAfterClose.get());
    }

    @Test
    void aConnectionCutWithoutACloseFrameIsReportedAs1006() throws Exception {
        RecordingListener listener = new RecordingListener();
        connect(listener);
        server.session().closeConnection(CloseFrame.ABNORMAL_CLOSE, "cut");
        String closed = listener.awaitClosed();
        assertTrue(closed.startsWith("1006"), closed);
        assertEquals(1, listener.closes.get());
    }

    @Test
    void thePeersCloseIsReportedWithItsCodeAndReason() throws Exception {
        RecordingListener listener = new RecordingListener();
        connect(listener);
        server.session().close(CloseFrame.GOING_AWAY, "platform restart");
        assertEquals("1001 platform restart", listener.awaitClosed());
    }

    @Test
    void closingTheTransportClosesItsConnectionsAndRefusesNewOnes() throws Exception {
        RecordingListener listener = new RecordingListener();
        connect(listener);
        transport.close();
        assertTrue(listener.awaitClosed().startsWith("1001"), listener.closed.get());
        assertThrows(IllegalStateException.class, () -> connect(new RecordingListener()));
    }

    // ---- connecting ---------------------------------------------------------------------------------------------

    @Test
    void aRefusedUpgradeNamesTheHttpStatus() {
        server.refuseUpgrades = true;
        IOException e = assertThrows(IOException.class, () -> connect(new RecordingListener()));
        assertTrue(String.valueOf(e.getMessage()).contains("404"), e.getMessage());
    }

    @Test
    void nothingListeningFailsWithTheRefusalAsItsCause() throws Exception {
        URI nowhere = server.uri();
        server.stopQuietly();
        IOException e = assertThrows(IOException.class,
                () -> transport.connect(nowhere, options().build(), new RecordingListener()));
        assertTrue(causedBy(e, c -> c instanceof java.net.ConnectException), "cause chain: " + chain(e));
    }

    @Test
    void anUnknownHostFailsWithTheLookupAsItsCause() {
        IOException e = assertThrows(IOException.class, () -> transport.connect(
                URI.create("ws://no-such-host.invalid:8080/"), options().build(), new RecordingListener()));
        assertTrue(causedBy(e, c -> c instanceof java.net.UnknownHostException
                || c instanceof java.nio.channels.UnresolvedAddressException), "cause chain: " + chain(e));
    }

    @Test
    void aPeerThatNeverAnswersTheUpgradeFailsWithinTheHandshakeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThrows(IOException.class, () -> transport.connect(
                    URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/"),
                    options().handshakeTimeout(Duration.ofMillis(500)).build(), new RecordingListener()));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 2_500, "gave up after " + tookMillis + " ms (timeout 500 ms, grace 1 s)");
        }
    }

    @Test
    void optionsOfOneConnectionDoNotLeakIntoAnother() throws Exception {
        RecordingListener small = new RecordingListener();
        connect(small);
        server.session().send("s".repeat(LIMIT + 10));
        assertTrue(small.awaitClosed().startsWith("1009"));

        RecordingListener large = new RecordingListener();
        transport.connect(server.uri(), options().maxMessageBytes(4 * LIMIT).build(), large);
        RecordingListener smallAgain = new RecordingListener();
        connect(smallAgain);
        // sessions in the order opened: small's (closed), large's, smallAgain's
        String message = "l".repeat(LIMIT + 10);
        server.session(1).send(message);
        server.session(2).send(message);
        large.awaitTexts(1);
        assertTrue(smallAgain.awaitClosed().startsWith("1009"));
        assertEquals(message, large.texts.peek());
    }

    @Test
    void threadsStayFewHoweverManyConnections() throws Exception {
        int before = Thread.activeCount();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            RecordingListener l = new RecordingListener();
            listeners.add(l);
            connect(l).send("hello " + i, e -> { });
        }
        int added = Thread.activeCount() - before;
        assertTrue(added <= 16, "30 connections added " + added + " threads");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("sepl-connector")) {
                assertTrue(t.isDaemon(), "a transport thread keeps the JVM up: " + t.getName());
            }
        }
    }

    // ---- TLS and proxies ------------------------------------------------------------------------------------------

    @Test
    void tlsWithATrustedCertificateThatNamesTheHostConnects() throws Exception {
        try (Tls tls = new Tls()) {
            RecordingListener listener = new RecordingListener();
            transport.connect(tls.server.uri("localhost"), options().sslContext(TestCertificates.trusting()).build(),
                    listener);
            tls.server.session().send("over tls");
            listener.awaitTexts(1);
            assertEquals("over tls", listener.texts.peek());
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
        try (Tls tls = new Tls()) {
            assertThrows(IOException.class, () -> transport.connect(tls.server.uri("127.0.0.1"),
                    options().sslContext(TestCertificates.trusting()).build(), new RecordingListener()));
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        try (Tls tls = new Tls()) {
            assertThrows(IOException.class, () -> transport.connect(tls.server.uri("localhost"),
                    options().build(), new RecordingListener()));
        }
    }

    @Test
    void aConnectionGoesThroughTheConfiguredProxy() throws Exception {
        try (TestProxy proxy = TestProxy.connectProxy(null, null)) {
            RecordingListener listener = new RecordingListener();
            transport.connect(server.uri(), options().proxy(HttpProxy.of("127.0.0.1", proxy.port())).build(), listener);
            server.session().send("via proxy");
            listener.awaitTexts(1);
            assertEquals(List.of("127.0.0.1:" + server.getPort()), proxy.tunnels);
        }
    }

    @Test
    void anAuthenticatingProxyGetsTheCredentials() throws Exception {
        try (TestProxy proxy = TestProxy.connectProxy("gateway", "proxy-secret")) {
            RecordingListener listener = new RecordingListener();
            transport.connect(server.uri(), options()
                    .proxy(new HttpProxy("127.0.0.1", proxy.port(), "gateway", "proxy-secret")).build(), listener);
            server.session().send("via proxy");
            listener.awaitTexts(1);
            assertEquals(1, proxy.tunnels.size());
        }
    }

    @Test
    void wrongProxyCredentialsFailTheConnect() throws Exception {
        try (TestProxy proxy = TestProxy.connectProxy("gateway", "proxy-secret")) {
            assertThrows(IOException.class, () -> transport.connect(server.uri(), options()
                    .proxy(new HttpProxy("127.0.0.1", proxy.port(), "gateway", "wrong")).build(),
                    new RecordingListener()));
            assertTrue(proxy.tunnels.isEmpty());
        }
    }

    /**
     * Mutual TLS: the client certificate is the TLS context's key manager's business, so a transport passes it on
     * by using the context as given. A server that requires one and trusts it lets the connection in.
     */
    @Test
    void aClientCertificateInTheTlsContextIsPresentedToAServerThatRequiresOne() throws Exception {
        try (MutualTls tls = new MutualTls()) {
            RecordingListener listener = new RecordingListener();
            transport.connect(tls.uri(),
                    options().sslContext(TestCertificates.trustingAndPresentingClient(gateway())).build(), listener);
            tls.server.session().send("mutual");
            listener.awaitTexts(1);
            assertEquals("mutual", listener.texts.peek());
        }
    }

    /**
     * Without a client certificate (or with one the server does not trust) the server ends the TLS connection with
     * an alert: the connect fails well before the handshake timeout, with the TLS failure ({@code SSLException}) in
     * its cause chain, so that the client can say what happened. Under TLS 1.3 the client's side of the handshake is
     * already complete then: it learns of the refusal only when it reads the upgrade's answer.
     */
    @ParameterizedTest
    @MethodSource("clientsTheServerRefuses")
    void aServerThatRequiresAClientCertificateRefusesOneWithoutATrustedCertificate(String client) throws Exception {
        SSLContext context = client.equals("none") ? TestCertificates.trusting()
                : TestCertificates.trustingAndPresentingClient(stranger());
        try (MutualTls tls = new MutualTls()) {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> transport.connect(tls.uri(),
                    options().sslContext(context).build(), new RecordingListener()));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < TIMEOUT.toMillis(), "refused after " + tookMillis + " ms: " + chain(e));
            assertTrue(causedBy(e, c -> c instanceof javax.net.ssl.SSLException), "the TLS failure is the cause: "
                    + chain(e));
        }
    }

    static List<String> clientsTheServerRefuses() {
        return List.of("none", "untrusted");
    }

    /** The client key pair the mutual-TLS server trusts (made once per class). */
    private static KeyStore gateway() throws IOException {
        return clientKeyStore("gateway");
    }

    /** A client key pair nobody trusts. */
    private static KeyStore stranger() throws IOException {
        return clientKeyStore("stranger");
    }

    private static synchronized KeyStore clientKeyStore(String name) throws IOException {
        Path file = clientKeys.resolve(name + ".p12");
        if (!Files.exists(file)) {
            TestCertificates.generateKeyStore(file, name);
        }
        return TestCertificates.keyStore(file);
    }

    /** A wss:// server presenting the {@code localhost} test certificate. */
    private static final class Tls implements AutoCloseable {
        final ContractServer server;

        Tls() throws InterruptedException {
            server = new ContractServer(TestCertificates.presenting()).started();
        }

        @Override
        public void close() {
            server.stopQuietly();
        }
    }

    /**
     * A wss:// server that requires a client certificate: {@link #gateway()}'s. TLS ends at a {@link TestProxy} in
     * front of a plain server, on the JDK's TLS server socket: Java-WebSocket's own TLS channel can stall a handshake
     * with a client certificate until the client gives up (TooTallNate/Java-WebSocket#1500).
     */
    private static final class MutualTls implements AutoCloseable {
        final ContractServer server;
        final TestProxy front;

        MutualTls() throws Exception {
            server = new ContractServer(null).started();
            front = TestProxy.tlsFront(TestCertificates.presentingAndTrustingClients(gateway()), "127.0.0.1",
                    server.getPort());
        }

        URI uri() {
            return URI.create("wss://localhost:" + front.port() + "/");
        }

        @Override
        public void close() throws IOException {
            front.close();
            server.stopQuietly();
        }
    }

    private static boolean causedBy(Throwable t, Predicate<Throwable> what) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (what.test(c)) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" <- ");
        }
        return b.toString();
    }
}
