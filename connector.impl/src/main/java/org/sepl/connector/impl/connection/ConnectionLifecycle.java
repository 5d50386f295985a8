package org.sepl.connector.impl.connection;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.impl.ClientSettings;
import org.sepl.connector.impl.logging.Plural;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.sync.DeviceChangePublisher;
import org.sepl.connector.impl.sync.DeviceSynchroniser;
import org.sepl.connector.impl.transport.WebSocketTransport;

/**
 * The connection's life (Paho's {@code ClientComms}): connect, handshake, synchronise, ready; on any loss, fail or
 * hand over what the link held, tell the listeners and reconnect with {@link Backoff}; keep-alive; detection of a
 * link that answers pings but no requests; close. Every step of a connection runs on the one {@code control}
 * thread; the state lives in {@link ConnectionStatus}.
 */
public final class ConnectionLifecycle implements Link.Events {

    private static final System.Logger LOG = System.getLogger(ConnectionLifecycle.class.getName());

    private final ClientSettings settings;
    private final WebSocketTransport transport;
    private final ConnectionStatus status;
    private final RequestTracker tracker;
    private final Handshake handshake;
    private final DeviceSynchroniser synchroniser;
    private final DeviceChangePublisher publisher;
    private final Supplier<DeviceManager> deviceManager;
    private final LongSupplier deviceChanges;
    private final BooleanSupplier emptyAllowed;
    private final Runnable synced;
    private final Consumer<String> frames;
    private final ExecutorService control;
    private final ScheduledExecutorService timer;
    private final ExecutorService callbacks;
    private final Executor readAhead;
    private final Backoff backoff;
    private final KeepAlive keepAlive;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile String gatewayId;
    private volatile boolean closed;
    /** Control thread only: whether a connect attempt has run (only the first hashes the devices ahead). */
    private boolean attempted;

    /**
     * @param deviceChanges counts the client's own device changes (a change during a sync triggers another round)
     * @param emptyAllowed  whether the user removed devices since the last sync (an empty list may be committed)
     * @param synced        called after each successful synchronisation
     * @param readAhead     hashes the device manager's devices while the control thread connects the first time
     */
    public ConnectionLifecycle(ClientSettings settings, WebSocketTransport transport, ConnectionStatus status,
            RequestTracker tracker, Handshake handshake, DeviceSynchroniser synchroniser, DeviceChangePublisher publisher,
            Supplier<DeviceManager> deviceManager, LongSupplier deviceChanges, BooleanSupplier emptyAllowed,
            Runnable synced, Consumer<String> frames, ExecutorService control, ScheduledExecutorService timer,
            ExecutorService callbacks, Executor readAhead, String initialGatewayId) {
        this.settings = settings;
        this.transport = transport;
        this.status = status;
        this.tracker = tracker;
        this.handshake = handshake;
        this.synchroniser = synchroniser;
        this.publisher = publisher;
        this.deviceManager = deviceManager;
        this.deviceChanges = deviceChanges;
        this.emptyAllowed = emptyAllowed;
        this.synced = synced;
        this.frames = frames;
        this.control = control;
        this.timer = timer;
        this.callbacks = callbacks;
        this.readAhead = readAhead;
        this.backoff = new Backoff(settings.reconnectInitialDelay(), settings.reconnectMaxDelay());
        this.keepAlive = new KeepAlive(settings.keepAliveInterval(), settings.keepAliveTimeout());
        this.gatewayId = initialGatewayId;
    }

    public String gatewayId() {
        return gatewayId;
    }

    public void start() {
        long period = keepAlive.checkPeriodMillis();
        timer.scheduleWithFixedDelay(this::checkKeepAlive, period, period, TimeUnit.MILLISECONDS);
        runControl(this::connect);
    }

    public void addListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        if (status.get().isReady()) {
            String gid = gatewayId;
            runCallback(() -> listener.connected(gid));
        }
    }

    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    /** A link that still answers pings but no requests (from the request tracker). */
    public void unresponsive(RequestTracker.Channel channel, String why) {
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
            if (l == null || closed) {
                return; // not ready: the next connect synchronises anyway
            }
            if (!status.enter(ConnectionState.SYNCHRONISING, l)) {
                return;
            }
            publisher.detach();
            LOG.log(INFO, "{0}: re-synchronising", why);
            String committed;
            try {
                committed = publisher.committedHash().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                committed = null;
            }
            if (synchronise(l, committed, null) && status.enter(ConnectionState.READY, l)) {
                LOG.log(INFO, "Ready again: gateway {0} synchronised", gatewayId);
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
        lost(link, reason);
    }

    // ---- control thread -------------------------------------------------------------------------------------

    private void connect() {
        if (closed || !status.connecting()) {
            return;
        }
        long start = System.nanoTime();
        // The first attempt hashes the devices on another thread while this one builds the HTTP client, connects and
        // handshakes. Later attempts have little to overlap, and would read the device manager twice per attempt.
        CompletableFuture<DeviceSynchroniser.ReadAhead> local = attempted ? null
                : DeviceSynchroniser.readAhead(deviceManager.get(), readAhead);
        attempted = true;
        Link l = new Link(this);
        WebSocketTransport.Connection connection;
        try {
            connection = transport.connect(settings.uri(), l, settings.requestTimeout());
        } catch (IOException | RuntimeException e) {
            LOG.log(WARNING, "Cannot connect to {0}: {1}", settings.uri(), e.getMessage());
            status.failed("cannot connect to " + settings.uri() + ": " + e.getMessage());
            scheduleReconnect();
            return;
        }
        l.attach(connection, tracker.open(connection));
        if (!status.opened(l)) {
            connection.close(1000, "client closed");
            return;
        }
        if (l.gone) {
            lost(l, "connection closed during the handshake");
            return;
        }
        Handshake.Result hs;
        try {
            hs = handshake.perform(l);
        } catch (Handshake.Failed e) {
            LOG.log(WARNING, "Handshake with {0} as user ''{1}'' failed: {2}", settings.uri(), settings.user(), e.getMessage());
            drop(l, "handshake failed: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        gatewayId = hs.gatewayId();
        if (!status.enter(ConnectionState.SYNCHRONISING, l)) {
            return;
        }
        if (!synchronise(l, hs.platformHash(), local)) {
            return;
        }
        if (status.enter(ConnectionState.READY, l)) {
            backoff.reset();
            String gid = hs.gatewayId();
            for (ConnectionListener listener : listeners) {
                runCallback(() -> listener.connected(gid));
            }
            // a loss of this link after READY queues its "disconnected" after these "connected" calls
            LOG.log(INFO, "Ready in {0} ms: gateway {1} synchronised with {2}", (System.nanoTime() - start) / 1_000_000,
                    gid, settings.uri());
        }
    }

    /**
     * @param local the devices hashed ahead, or null
     * @return true if in sync (the publisher is then attached to the link)
     */
    private boolean synchronise(Link l, String platformHash, CompletableFuture<DeviceSynchroniser.ReadAhead> local) {
        DeviceSynchroniser.Outcome outcome;
        try {
            outcome = synchroniser.synchronise(l.channel(), platformHash, deviceManager.get(), deviceChanges,
                    emptyAllowed.getAsBoolean(), local);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!outcome.inSync()) {
            drop(l, "synchronisation failed: " + outcome.error());
            return false;
        }
        if (outcome.devicesSent() > 0 || outcome.ledger() == null) {
            synced.run();
        }
        publisher.attach(l.channel(), outcome.ledger(), outcome.committedHash());
        if (outcome.ledger() != null && outcome.devicesSent() == 0) {
            LOG.log(DEBUG, "In sync with the platform: {0}", Plural.of(outcome.ledger().size(), "device"));
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

    /** Gives up a link from our side (failed handshake or sync, dead connection). */
    public void drop(Link l, String reason) {
        lost(l, reason); // first, so that the close's own callback is ignored and the reason kept
        l.connection().close(1001, "going away");
    }

    /** The link is gone: its requests fail or go back to the seam, listeners hear it, a reconnect is scheduled. */
    private void lost(Link l, String lostReason) {
        // closed before answering the credentials: how the platform refuses a user or password
        String reason = l.handshaken || lostReason.startsWith("handshake failed") ? lostReason
                : "handshake failed: the platform closed the connection without answering (wrong user or password?): "
                        + lostReason;
        ConnectionStatus.Snapshot before = status.lost(l, reason);
        if (before == null) {
            return; // not the current link, or closed
        }
        publisher.detach();
        if (l.channel() != null) {
            l.channel().close(Reason.CONNECTION_LOST, reason);
        }
        boolean wasReady = before.isReady();
        LOG.log(wasReady ? WARNING : DEBUG, "Disconnected from {0}: {1}", settings.uri(), reason);
        if (wasReady) {
            for (ConnectionListener listener : listeners) {
                runCallback(() -> listener.disconnected(reason));
            }
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
            timer.schedule(() -> runControl(this::connect), delay, TimeUnit.MILLISECONDS);
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
        publisher.detach();
        if (l != null && l.connection() != null) {
            l.connection().close(1000, "gateway shutting down");
        }
        if (l != null && l.channel() != null) {
            l.channel().close(Reason.CLOSED, "client closed");
        }
        if (before.isReady()) {
            for (ConnectionListener listener : listeners) {
                runCallback(() -> listener.disconnected("client closed"));
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void runControl(Runnable task) {
        try {
            control.execute(task);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void runCallback(Runnable task) {
        try {
            callbacks.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(WARNING, "A connection listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }
}
