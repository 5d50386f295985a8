package org.sepl.connector.testkit;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/** A WebSocket server (Java-WebSocket, the emulator's library) that records what one client sends it. */
final class ContractServer extends WebSocketServer {

    final Queue<String> messages = new ConcurrentLinkedQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final CompletableFuture<WebSocket> session = new CompletableFuture<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile CountDownLatch received = new CountDownLatch(0);
    volatile boolean refuseUpgrades;
    private final boolean tls;

    /** @param tls null: ws://; else wss:// presenting this context's certificate */
    ContractServer(SSLContext tls) {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
        this.tls = tls != null;
        if (tls != null) {
            setWebSocketFactory(new DefaultSSLWebSocketServerFactory(tls));
        }
    }

    /** Starts it and waits until it listens. */
    ContractServer started() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the test server did not start within 10 s");
        }
        return this;
    }

    URI uri(String host) {
        return URI.create((tls ? "wss://" : "ws://") + host + ":" + getPort() + "/");
    }

    URI uri() {
        return uri("127.0.0.1");
    }

    void expect(int n) {
        received = new CountDownLatch(n);
    }

    boolean awaitExpected(long seconds) throws InterruptedException {
        return received.await(seconds, TimeUnit.SECONDS);
    }

    /** The client's session, once it is open. */
    WebSocket session() throws Exception {
        return session.get(10, TimeUnit.SECONDS);
    }

    void stopQuietly() {
        try {
            stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
