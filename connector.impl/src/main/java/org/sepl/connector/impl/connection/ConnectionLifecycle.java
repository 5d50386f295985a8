package org.sepl.connector.impl.connection;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectionCounts;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.transport.ConnectionOptions;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.impl.executor.ClientThreads;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.settings.ClientSettings;
import org.sepl.connector.impl.sync.DeviceSynchroniser;
import org.sepl.connector.impl.sync.Synchronisation;

/**
 * The connection's life (Paho's {@code ClientComms}): connect, handshake, synchronise, ready; on any loss, fail or
 * hand over what the link held, tell the listeners and reconnect with {@link Backoff}; keep-alive; detection of a
 * link that answers pings but no requests; a change of transport; close. Every step runs on the {@code control}
 * lane; the state lives in {@link ConnectionStatus}.
 * <p>
 * Before the very first connection it waits (bounded) for the configured device manager ({@link StartGate}), so
 * that nothing reaches the platform from a stand-in that is about to be replaced.
 */
public final class ConnectionLifecycle implements Link.Events {

    private static final System.Logger LOG = System.getLogger(ConnectionLifecycle.class.getName());
    /** How long the client waits for a transport before it says so as a warning. */
    static final long TRANSPORT_WAIT_WARNING_SECONDS = 10;

    /** Holds the first connection back until the client's dependencies are there (bounded). */
    @FunctionalInterface
    public interface StartGate {
        /** Waits; returns when it is time to connect (logging what it waited for). */
        void await() throws InterruptedException;
    }

    private final ClientSettings settings;
    private final Supplier<ConnectionOptions> options;
    private final ConnectionStatus status;
    private final RequestTracker tracker;
    private final Handshake handshake;
    private final Synchronisation sync;
    private final Consumer<String> frames;
    private final ClientThreads threads;
    private final StartGate startGate;
    private final Backoff backoff;
    private final KeepAlive keepAlive;
    private final ConnectionListeners listeners;
    /** The client's own reactions to READY (the outbox replays), run on this lane: never user code. */
    private final List<Runnable> whenReady = new CopyOnWriteArrayList<>();
    private volatile WebSocketTransport transport;
    private volatile String gatewayId;
    private volatile boolean closed;
    // control lane only
    private boolean attempted;
    private boolean waitingForTransport;
    private final AtomicLong established = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();

    /**
     * @param options the options of the next connection (TLS context, limits, proxy), asked for at every connect
     * @param frames  where the frames of the current link go (on the transport's I/O threads)
     */
    public ConnectionLifecycle(ClientSettings settings, Supplier<ConnectionOptions> options, ConnectionStatus status,
            RequestTracker tracker, Handshake handshake, Synchronisation sync, Consumer<String> frames,
            ClientThreads threads, UserCallbacks callers, StartGate startGate, String initialGatewayId) {
        this.settings = settings;
        this.options = options;
        this.status = status;
        this.tracker = tracker;
        this.handshake = handshake;
        this.sync = sync;
        this.frames = frames;
        this.threads = threads;
        this.listeners = new ConnectionListeners(callers);
        this.startGate = startGate;
        this.backoff = new Backoff(settings.reconnectInitialDelay(), settings.reconnectMaxDelay());
        this.keepAlive = new KeepAlive(settings.keepAliveInterval(), settings.keepAliveTimeout());
        this.gatewayId = initialGatewayId;
        tracker.whenUnresponsive(this::unresponsive);
    }

    public String gatewayId() {
        return gatewayId;
    }

    /** @return how often the client got ready, lost a ready connection and failed to get ready */
    public ConnectionCounts counts() {
        return new ConnectionCounts(established.get(), lost.get(), failedAttempts.get());
    }

    public void start() {
        long period = keepAlive.checkPeriodMillis();
        threads.timer.scheduleWithFixedDelay(this::checkKeepAlive, period, period, TimeUnit.MILLISECONDS);
        runControl(this::connect);
    }

    /** The client's own reaction to each READY; runs on the control lane, must not block. */
    public void whenReady(Runnable reaction) {
        whenReady.add(reaction);
    }

    public void addListener(ConnectionListener listener) {
        listeners.add(listener, () -> status.get().isReady() ? gatewayId : null);
    }

    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    /**
     * Connects over {@code next} from now on (null: none is available). A link on another transport is closed and
     * the client reconnects at once (a quick first retry): the outbox keeps what was in flight, and the handshake's
     * hash spares a re-synchronisation when nothing changed.
     */
    public void useTransport(WebSocketTransport next) {
        transport = next;
        runControl(() -> {
            Link l = status.get().link();
            if (l != null && l.transport() != next) {
                backoff.reset();
                drop(l, next == null ? "its WebSocket transport went away"
                        : "switching to the " + next.name() + " transport");
            } else if (waitingForTransport && next != null) {
                waitingForTransport = false;
                connect();
            }
        });
    }

    /** A link that still answers pings but no requests (from the request tracker). */
    private void unresponsive(RequestTracker.Channel channel, String why) {
        Link l = status.get().link();
        if (l != null && l.channel() == channel) {
            LOG.log(WARNING, "The platform at {0} stopped answering ({1}): reconnecting", settings.uri(), why);
            drop(l, "the platform stopped answering: " + why);
        }
    }

    /** Re-synchronises a ready link with the current device manager (after a swap). */
    public void resynchronise(String why) {
        runControl(() -> {
            Link l = status.readyLink();
            if (l == null || closed || !status.enter(ConnectionState.SYNCHRONISING, l)) {
                return; // not ready: the next connect synchronises anyway
            }
            sync.detach();
            LOG.log(INFO, "{0}: re-synchronising", why);
            try {
                if (synchronise(l, sync.committedHash(), null) && status.enter(ConnectionState.READY, l)) {
                    LOG.log(INFO, "Ready again: gateway {0} synchronised", gatewayId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    // ---- Link.Events (I/O threads) --------------------------------------------------------------------------

    @Override
    public void frame(Link link, String text) {
        frames.accept(text);
    }

    @Override
    public void closed(Link link, String reason) {
        lost(link, reason, false);
    }

    // ---- control lane ---------------------------------------------------------------------------------------

    private void connect() {
        if (closed) {
            return;
        }
        try {
            if (!attempted) {
                startGate.await();
            }
            WebSocketTransport t = transport;
            if (t == null) {
                waitForTransport();
                return;
            }
            if (!status.connecting()) {
                return;
            }
            connectOver(t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    /**
     * No transport (yet): in OSGi the transport bundle may simply start after this one, so this is said quietly at
     * first, and loudly only if none comes within {@value #TRANSPORT_WAIT_WARNING_SECONDS} s. The client connects as
     * soon as one is there ({@link #useTransport}).
     */
    private void waitForTransport() {
        if (waitingForTransport) {
            return;
        }
        waitingForTransport = true;
        status.failed("no WebSocket transport is available: install connector.transport.tyrus or "
                + "connector.transport.jdk (Karaf: the feature sepl-connector or sepl-connector-jdk)");
        LOG.log(INFO, "Waiting for a WebSocket transport to connect to {0}", settings.uri());
        try {
            threads.timer.schedule(() -> runControl(() -> {
                if (waitingForTransport && !closed) {
                    LOG.log(WARNING, "Still no WebSocket transport after {0} s: install connector.transport.tyrus or "
                            + "connector.transport.jdk (Karaf: the feature sepl-connector or sepl-connector-jdk); the "
                            + "client connects as soon as one is there", TRANSPORT_WAIT_WARNING_SECONDS);
                }
            }), TRANSPORT_WAIT_WARNING_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void connectOver(WebSocketTransport t) throws InterruptedException {
        long start = System.nanoTime();
        // The first attempt hashes the devices on another lane while this one connects and handshakes. Later attempts
        // have little to overlap, and would read the device manager twice per attempt.
        CompletableFuture<DeviceSynchroniser.ReadAhead> local = attempted ? null : sync.readAhead();
        attempted = true;
        Link l = new Link(this, t);
        WebSocketTransport.Connection connection;
        try {
            connection = t.connect(settings.uri(), options.get(), l);
        } catch (IOException | RuntimeException e) {
            String why = ConnectFailure.describe(e, settings);
            LOG.log(WARNING, "Cannot connect to {0} over {1}: {2}", settings.uri(), t.name(), why);
            status.failed("cannot connect to " + settings.uri() + ": " + why);
            failedAttempts.incrementAndGet();
            scheduleReconnect();
            return;
        }
        l.attach(connection, tracker.open(connection));
        if (!status.opened(l)) {
            connection.close(1000, "client closed");
            return;
        }
        if (l.gone) {
            lost(l, "connection closed during the handshake", false);
            return;
        }
        Handshake.Result hs;
        try {
            hs = handshake.perform(l);
        } catch (Handshake.Failed e) {
            LOG.log(WARNING, "Handshake with {0} as user ''{1}'' failed: {2}", settings.uri(), settings.user(),
                    e.getMessage());
            drop(l, "handshake failed: " + e.getMessage());
            return;
        }
        gatewayId = hs.gatewayId();
        if (!status.enter(ConnectionState.SYNCHRONISING, l) || !synchronise(l, hs.platformHash(), local)) {
            return;
        }
        if (status.enter(ConnectionState.READY, l)) {
            l.wasReady = true;
            established.incrementAndGet();
            backoff.reset();
            whenReady.forEach(Runnable::run);
            String gid = hs.gatewayId();
            listeners.connected(l, gid);
            // a loss of this link after READY queues its "disconnected" after these "connected" calls
            LOG.log(INFO, "Ready in {0} ms: gateway {1} synchronised with {2} over {3}",
                    (System.nanoTime() - start) / 1_000_000, gid, settings.uri(), t.name());
        }
    }

    /** @return true if in sync (changes are then published on the link) */
    private boolean synchronise(Link l, String platformHash, CompletableFuture<DeviceSynchroniser.ReadAhead> local)
            throws InterruptedException {
        String error = sync.synchronise(l.channel(), platformHash, local);
        if (error != null) {
            drop(l, "synchronisation failed: " + error);
            return false;
        }
        return true;
    }

    private void checkKeepAlive() {
        Link l = status.get().link();
        if (l == null || l.connection() == null) {
            return;
        }
        long now = System.nanoTime();
        switch (keepAlive.check(now, l.lastReceived, l.pingSent)) {
            case PING -> {
                l.pingSent = now;
                l.connection().ping();
            }
            case DEAD -> {
                LOG.log(WARNING, "Connection to {0} is dead (no pong within {1}): dropping it", settings.uri(),
                        settings.keepAliveTimeout());
                drop(l, "no pong within " + settings.keepAliveTimeout());
            }
            case ALIVE -> {
            }
        }
    }

    /** Gives up a link from our side (failed handshake or sync, dead connection, another transport). */
    private void drop(Link l, String reason) {
        lost(l, reason, true); // first, so that the close's own callback is ignored and the reason kept
        l.connection().close(1001, "going away");
    }

    /**
     * The link is gone: its requests fail or go back to the outbox, listeners hear it, a reconnect is scheduled.
     *
     * @param ours whether this client gave the link up (then its reason stands as it is)
     */
    private void lost(Link l, String lostReason, boolean ours) {
        // the platform closed it before answering the credentials: how it refuses a user or password
        String reason = ours || l.handshaken ? lostReason
                : "handshake failed: the platform closed the connection without answering (wrong user or password?): "
                        + lostReason;
        ConnectionStatus.Snapshot before = status.lost(l, reason);
        if (before == null) {
            return; // not the current link, or closed
        }
        sync.detach();
        if (l.channel() != null) {
            l.channel().close(Reason.CONNECTION_LOST, reason);
        }
        (l.wasReady ? lost : failedAttempts).incrementAndGet();
        boolean wasReady = before.isReady();
        LOG.log(wasReady ? WARNING : DEBUG, "Disconnected from {0}: {1}", settings.uri(), reason);
        if (wasReady) {
            listeners.disconnected(l, reason);
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = backoff.next().toMillis();
        LOG.log(INFO, "Reconnecting to {0} in {1} ms (attempt {2})", settings.uri(), delay, backoff.attempts());
        try {
            threads.timer.schedule(() -> runControl(this::connect), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Closes the connection with code 1000 first (before anything the client uses goes away), then fails what it
     * held with {@code CLOSED}. After this no synchronisation runs and nothing reaches the platform. Idempotent.
     */
    public void close() {
        closed = true;
        ConnectionStatus.Snapshot before = status.close();
        if (before.state() == ConnectionState.CLOSED) {
            return;
        }
        Link l = before.link();
        sync.detach();
        if (l != null && l.connection() != null) {
            l.connection().close(1000, "gateway shutting down");
        }
        if (l != null && l.channel() != null) {
            l.channel().close(Reason.CLOSED, "client closed");
        }
        if (before.isReady()) {
            listeners.disconnected(l, "client closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void runControl(Runnable task) {
        try {
            threads.control.execute(task);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }
}
