package org.sepl.connector.emulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.sepl.connector.emulator.PlatformEmulator.CommandResponse;

/**
 * The WebSocket side: Java-WebSocket's server hands each connection's frames to one worker thread, in order, which
 * is the platform's "one request at a time per connection". The answers to the frames of one socket read leave as
 * one write ({@link BatchingConnection}). Keep-alive (pings, read timeout), the state file's saves and delayed
 * answers ({@code delayAnswers}) run on one timer. With link faults a {@link LinkRelay} sits in front: this server
 * then listens on loopback and learns the gateways' addresses from the relay.
 * <p>
 * A failed handshake drops the TCP connection without a close frame ({@code closeConnection}), as the real
 * endpoint does; that is why this is not built on the Jakarta WebSocket API, which can only close politely.
 */
final class Endpoint extends WebSocketServer {

    private static final System.Logger LOG = System.getLogger(Endpoint.class.getName());
    static final int ACCEPT_BACKLOG = 1024;

    private final Platform platform;
    private final String advertisedHost;
    private final long pingIntervalNanos;
    private final long readTimeoutNanos;
    private final ScheduledExecutorService timer;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;
    private volatile long refuseUntil = System.nanoTime(); // not 0: nanoTime may be negative
    private final java.util.concurrent.atomic.LongAdder connectionAttempts = new java.util.concurrent.atomic.LongAdder();
    private final boolean tls;
    private volatile LinkRelay relay; // the link-fault relay in front, if any: it knows the gateways' addresses
    /** Answers waiting for their delay ({@code delayAnswers}); beyond this many, answers go out at once. */
    static final int MAX_DELAYED_ANSWERS = 10_000;
    private final java.util.concurrent.atomic.AtomicInteger delayedAnswers = new java.util.concurrent.atomic.AtomicInteger();

    /** Per connection, beside the protocol state: what the keep-alive needs. */
    private static final class Link {
        final Session session;
        volatile long lastRead = System.nanoTime();
        volatile long lastPing = System.nanoTime();
        volatile boolean clientPings;

        Link(Session session) {
            this.session = session;
        }
    }

    Endpoint(InetSocketAddress address, String advertisedHost, Platform platform, Duration pingInterval,
            Duration readTimeout, javax.net.ssl.SSLContext tls) {
        super(address, Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.platform = platform;
        this.advertisedHost = advertisedHost;
        this.pingIntervalNanos = pingInterval.toNanos();
        this.readTimeoutNanos = readTimeout.toNanos();
        setReuseAddr(true);
        setTcpNoDelay(true);
        // a platform restart brings every gateway back at once: with the JDK's default backlog (50) the kernel drops
        // the other SYNs and those gateways wait 1, 3, 7 s for their TCP retransmits
        setMaxPendingConnections(ACCEPT_BACKLOG);
        setDaemon(true); // an emulator a test forgot to close must not keep the JVM alive
        this.tls = tls != null;
        setWebSocketFactory(new BatchingConnection.Factory(tls != null
                ? new org.java_websocket.server.DefaultSSLWebSocketServerFactory(tls)
                : new org.java_websocket.server.DefaultWebSocketServerFactory()));
        setConnectionLostTimeout(0); // our own keep-alive below: separate ping interval and read timeout
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "platform-emulator-timer");
            t.setDaemon(true);
            return t;
        });
    }

    void relay(LinkRelay linkRelay) {
        this.relay = linkRelay;
    }

    void startAndWait() throws IOException {
        PortInUseException.check(getAddress(), PortInUseException.Server.WEBSOCKET);
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the WebSocket server did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
        if (startFailure != null) {
            throw new IOException("cannot listen on port " + getAddress().getPort() + ": " + startFailure.getMessage(),
                    startFailure);
        }
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(pingIntervalNanos, readTimeoutNanos) / 4);
        timer.scheduleWithFixedDelay(this::keepAlive, period, period, TimeUnit.NANOSECONDS);
        timer.scheduleWithFixedDelay(platform::saveIfDirty, 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::flushStalledWrites, 5, 5, TimeUnit.MILLISECONDS);
    }

    boolean tls() {
        return tls;
    }

    String advertisedHost() {
        return advertisedHost;
    }

    int port() {
        return getPort();
    }

    int openSessions() {
        return getConnections().size();
    }

    long connectionAttempts() {
        return connectionAttempts.sum();
    }

    boolean refusing() {
        return System.nanoTime() - refuseUntil < 0;
    }

    void refuseFor(Duration duration) {
        refuseUntil = System.nanoTime() + duration.toNanos();
    }

    // ---- Java-WebSocket callbacks ---------------------------------------------------------------------------

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
            throws InvalidDataException {
        connectionAttempts.increment();
        if (refusing()) {
            platform.faults().count(FaultKind.REFUSED);
            throw new InvalidDataException(CloseFrame.TRY_AGAIN_LATER, "the platform refuses connections for now");
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        java.net.InetSocketAddress remote = conn.getRemoteSocketAddress();
        LinkRelay r = relay;
        if (r != null) {
            remote = r.clientAddress(remote);
        }
        String address = remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
        conn.setAttachment(new Link(platform.registry().open(conn, address)));
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Link link = conn.getAttachment();
        if (link == null) {
            return;
        }
        link.lastRead = System.nanoTime();
        BatchingConnection batching = (BatchingConnection) conn;
        if (platform.faults().armed()) {
            batching.flush(); // a delayed or dropped request must not hold back the answers before it
        }
        Outcome outcome = platform.handle(link.session, message);
        if (outcome.delayMillis() == 0 || !sendLater(conn, outcome)) {
            for (String reply : outcome.replies()) {
                batching.reply(reply);
            }
        }
        if (outcome.action() != Outcome.Action.NONE) {
            batching.flush();
        }
        switch (outcome.action()) {
            case DROP -> drop(conn, "dropped by the platform");
            case CLOSE -> conn.close(CloseFrame.POLICY_VALIDATION,
                    "more than " + Outcome.MAX_CONSECUTIVE_ERRORS + " consecutive errors");
            case SILENCE -> silence(conn);
            case NONE -> { }
        }
    }

    /**
     * Sends the outcome's replies after its delay, from the timer: the worker thread goes on with the connection's
     * next frames (their answers may overtake these, as PROTOCOL.md §3 allows). False if they must go now: too many
     * are waiting already, or the emulator is stopping.
     */
    private boolean sendLater(WebSocket conn, Outcome outcome) {
        if (delayedAnswers.incrementAndGet() > MAX_DELAYED_ANSWERS) {
            delayedAnswers.decrementAndGet();
            return false;
        }
        try {
            timer.schedule(() -> {
                delayedAnswers.decrementAndGet();
                outcome.replies().forEach(reply -> send(conn, reply));
            }, outcome.delayMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            delayedAnswers.decrementAndGet();
            return false;
        }
        platform.faults().count(FaultKind.ANSWER_DELAYED);
        return true;
    }

    private void silence(WebSocket conn) {
        LinkRelay r = relay;
        if (r != null) {
            r.silence(conn.getRemoteSocketAddress());
        }
    }

    @Override
    public void onMessage(WebSocket conn, java.nio.ByteBuffer message) {
        onMessage(conn, java.nio.charset.StandardCharsets.UTF_8.decode(message).toString());
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        Link link = conn.getAttachment();
        if (link != null) {
            link.lastRead = System.nanoTime();
            link.clientPings = true; // the client keeps the connection alive itself: stop our pings
        }
        super.onWebsocketPing(conn, f); // answers with a pong
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
        Link link = conn.getAttachment();
        if (link != null) {
            link.lastRead = System.nanoTime();
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Link link = conn.getAttachment();
        if (link != null) {
            platform.registry().closed(link.session);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startFailure = ex;
            started.countDown();
        } else {
            LOG.log(System.Logger.Level.DEBUG, "Connection error: {0}", ex.toString());
        }
    }

    /** @return whether the frame was queued for the connection */
    private static boolean send(WebSocket conn, String text) {
        try {
            conn.send(text);
            return true;
        } catch (RuntimeException e) {
            // closed meanwhile: the gateway will not see this frame, as with a real platform
            return false;
        }
    }

    // ---- keep-alive, commands, restart ----------------------------------------------------------------------

    private void keepAlive() {
        long now = System.nanoTime();
        for (WebSocket conn : getConnections()) {
            Link link = conn.getAttachment();
            if (link == null || !conn.isOpen()) {
                continue;
            }
            if (now - link.lastRead > readTimeoutNanos) {
                LOG.log(System.Logger.Level.INFO, "Dropping {0}: nothing read for {1} ms", conn.getRemoteSocketAddress(),
                        TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos));
                drop(conn, "read timeout");
            } else if (!link.clientPings && now - link.lastPing >= pingIntervalNanos) {
                link.lastPing = now;
                try {
                    conn.sendPing();
                } catch (RuntimeException e) {
                    // closing
                }
            }
        }
    }

    /**
     * Java-WebSocket 1.6.0 can lose a write demand: its selector thread, having just emptied a connection's queue,
     * resets the interest to READ after another thread queued a frame and asked for WRITE. The frame then waits for
     * the next write (forever, in a request/response exchange). Asking again for queues that are not empty bounds
     * that wait to this task's period.
     */
    private void flushStalledWrites() {
        for (WebSocket conn : getConnections()) {
            if (conn instanceof WebSocketImpl impl && impl.isOpen() && !impl.outQueue.isEmpty()) {
                try {
                    onWriteDemand(impl);
                } catch (RuntimeException e) {
                    // closed meanwhile
                }
            }
        }
    }

    CompletableFuture<CommandResponse> sendCommand(String deviceUri, String serviceUri, Object data, Object metadata) {
        CommandExchange.PreparedCommand command = platform.commands().prepare(deviceUri, serviceUri, data, metadata);
        if (command.targets().isEmpty()) {
            return command.answer();
        }
        int copies = platform.faults().commandCopies();
        for (Session target : command.targets()) {
            for (int i = 0; i < copies; i++) {
                if (send((WebSocket) target.connection, command.frame())) {
                    platform.commands().delivered(command.taskId());
                }
            }
        }
        return command.answer();
    }

    void closeAll() {
        for (WebSocket conn : getConnections()) {
            conn.close(CloseFrame.GOING_AWAY, "platform restart");
        }
    }

    /** Drops every connection without close frame, as a platform process that stops does. */
    void dropAll() {
        for (WebSocket conn : getConnections()) {
            drop(conn, "platform restart");
        }
    }

    /**
     * Closes the TCP connection without close frame. Closed outside the selector thread, the socket is only
     * half-closed until the selector next wakes up and releases it: wake it, so that it goes at once.
     */
    private void drop(WebSocket conn, String why) {
        conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, why);
        try {
            onWriteDemand(conn);
        } catch (RuntimeException e) {
            // the server is stopping
        }
    }

    void shutdown() {
        timer.shutdownNow();
        try {
            stop(1000, "platform emulator stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
