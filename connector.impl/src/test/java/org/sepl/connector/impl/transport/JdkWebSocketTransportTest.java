package org.sepl.connector.impl.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The JDK WebSocket transport alone, against a plain WebSocket server that records what it gets. */
class JdkWebSocketTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RecordingServer server;
    private JdkWebSocketTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = new RecordingServer();
        server.start();
        assertTrue(server.started.await(5, TimeUnit.SECONDS), "server started");
        transport = new JdkWebSocketTransport(null, 64 * 1024, "transport-test-io");
    }

    @AfterEach
    void stop() throws Exception {
        transport.shutdown();
        server.stop(1000);
    }

    @Test
    void framesSentFromManyThreadsAllArriveEachSendersInOrder() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocketTransport.Connection connection = transport.connect(server.uri(), listener, TIMEOUT);
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
        assertTrue(server.received.await(10, TimeUnit.SECONDS), "all frames arrived: " + server.messages.size());
        assertEquals(0, failures.get());
        Map<Integer, Integer> next = new HashMap<>();
        for (String m : server.messages) {
            int sender = Integer.parseInt(m.substring(0, m.indexOf(':')));
            int n = Integer.parseInt(m.substring(m.indexOf(':') + 1));
            assertEquals(next.getOrDefault(sender, 0), n, "sender " + sender + "'s frames in order");
            next.put(sender, n + 1);
        }
    }

    /** Messages of 65,537 and 65,538 UTF-8 bytes; the second has fewer characters than the limit (2 bytes each). */
    static List<String> overTheLimit() {
        return List.of("x".repeat(64 * 1024 + 1), "é".repeat(32 * 1024 + 1));
    }

    @ParameterizedTest
    @MethodSource("overTheLimit")
    void aMessageOverTheLimitInBytesClosesTheConnectionWith1009AndSaysWhy(String message) throws Exception {
        RecordingListener listener = new RecordingListener();
        transport.connect(server.uri(), listener, TIMEOUT);
        server.session().send(message);
        assertEquals("1009 message larger than 65536 bytes", listener.closed.get(5, TimeUnit.SECONDS));
        assertTrue(listener.texts.isEmpty(), "the message is not delivered");
    }

    /** Messages of 65,536 UTF-8 bytes exactly: 1-byte characters; 4-byte (surrogate pairs), 3-, 2- and 1-byte ones. */
    static List<String> upToTheLimit() {
        return List.of("y".repeat(64 * 1024),
                "\uD83D\uDCA1".repeat(8 * 1024) + "€".repeat(8 * 1024) + "é".repeat(2 * 1024) + "ab".repeat(2 * 1024));
    }

    @ParameterizedTest
    @MethodSource("upToTheLimit")
    void aMessageUpToTheLimitIsDeliveredWhole(String big) throws Exception {
        RecordingListener listener = new RecordingListener();
        transport.connect(server.uri(), listener, TIMEOUT);
        server.session().send(big);
        server.session().send("after");
        listener.awaitTexts(2);
        assertEquals(List.of(big, "after"), List.copyOf(listener.texts));
    }

    @Test
    void utf8LengthCountsEachCharacterAsTheWireDoes() {
        for (String s : List.of("", "plain ascii", "é", "€", "\uD83D\uDCA1", "aé€\uD83D\uDCA1z")) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length,
                    JdkWebSocketTransport.utf8Length(s), s);
        }
    }

    @Test
    void closeSendsItsCodeAndReasonAndReportsTheCloseOnce() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocketTransport.Connection connection = transport.connect(server.uri(), listener, TIMEOUT);
        connection.close(1000, "gateway shutting down");
        assertEquals("1000 gateway shutting down", server.closed.get(5, TimeUnit.SECONDS));
        assertEquals("1000 gateway shutting down", listener.closed.get(5, TimeUnit.SECONDS));
        assertEquals(1, listener.closes.get());
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        connection.send("too late", failure::complete);
        failure.get(5, TimeUnit.SECONDS); // reported, not silently dropped
    }

    @Test
    void aConnectionCutWithoutACloseFrameIsReportedAsClosedAbnormally() throws Exception {
        RecordingListener listener = new RecordingListener();
        transport.connect(server.uri(), listener, TIMEOUT);
        server.session().closeConnection(CloseFrame.ABNORMAL_CLOSE, "cut");
        assertTrue(listener.closed.get(5, TimeUnit.SECONDS).startsWith("1006"), listener.closed.get());
    }

    @Test
    void thePlatformsCloseIsReportedWithItsCode() throws Exception {
        RecordingListener listener = new RecordingListener();
        transport.connect(server.uri(), listener, TIMEOUT);
        server.session().close(CloseFrame.GOING_AWAY, "platform restart");
        assertEquals("1001 platform restart", listener.closed.get(5, TimeUnit.SECONDS));
    }

    @Test
    void pingsAreAnsweredWithPongs() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocketTransport.Connection connection = transport.connect(server.uri(), listener, TIMEOUT);
        connection.ping();
        listener.pong.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRefusedUpgradeNamesTheHttpStatus() {
        server.refuseUpgrades = true;
        IOException e = assertThrows(IOException.class,
                () -> transport.connect(server.uri(), new RecordingListener(), TIMEOUT));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void nothingListeningIsAnIOException() throws Exception {
        URI nowhere = server.uri();
        server.stop(1000);
        assertThrows(IOException.class, () -> transport.connect(nowhere, new RecordingListener(), TIMEOUT));
    }

    @Test
    void aFrameSentAfterTheIoThreadsWentAwayFailsInsteadOfWaitingForever() throws Exception {
        WebSocketTransport.Connection connection = transport.connect(server.uri(), new RecordingListener(), TIMEOUT);
        connection.close(1000, "done");
        transport.shutdown(); // the I/O threads end
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        connection.send("too late", failure::complete);
        assertNotNull(failure.get(5, TimeUnit.SECONDS), "the sender is told");
    }

    private static final class RecordingListener implements WebSocketTransport.Listener {
        final Queue<String> texts = new ConcurrentLinkedQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final CompletableFuture<Void> pong = new CompletableFuture<>();
        final AtomicInteger closes = new AtomicInteger();
        final java.util.concurrent.Semaphore arrived = new java.util.concurrent.Semaphore(0);

        @Override
        public void onText(String text) {
            texts.add(text);
            arrived.release();
        }

        @Override
        public void onPong() {
            pong.complete(null);
        }

        @Override
        public void onClosed(int code, String reason) {
            closes.incrementAndGet();
            closed.complete(code + " " + reason);
        }

        void awaitTexts(int n) throws InterruptedException {
            assertTrue(arrived.tryAcquire(n, 5, TimeUnit.SECONDS), "timed out: " + texts.size() + " of " + n);
        }
    }

    private static final class RecordingServer extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        final Queue<String> messages = new ConcurrentLinkedQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final CompletableFuture<WebSocket> session = new CompletableFuture<>();
        volatile CountDownLatch received = new CountDownLatch(0);
        volatile boolean refuseUpgrades;

        RecordingServer() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + getPort() + "/");
        }

        void expect(int n) {
            received = new CountDownLatch(n);
        }

        WebSocket session() throws Exception {
            return session.get(5, TimeUnit.SECONDS);
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                ClientHandshake request) throws InvalidDataException {
            if (refuseUpgrades) {
                throw new InvalidDataException(404, "refused by the test");
            }
            return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            session.complete(conn);
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            closed.complete(code + " " + reason);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            messages.add(message);
            received.countDown();
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
