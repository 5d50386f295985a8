package org.sepl.connector.impl.connection;

import static java.lang.System.Logger.Level.WARNING;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.logging.RateLimitedLog;

/**
 * The user's {@link ConnectionListener}s and how they are told: on the callback lane (never the control lane or an
 * I/O thread), in the order the events happened, each call isolated (one that throws is logged and the others are
 * still told). A listener added while the client is ready hears {@code connected} at once.
 * <p>
 * <b>Bound.</b> A listener or continuation that blocks the callback lane stops these calls; while
 * {@value #MAX_QUEUED} wait, a new event is not queued (a WARNING says so, at most once per 10 s) but kept as the
 * latest one, told once the calls waiting before it are done: a listener that comes back hears the connection's
 * current state last, whatever it missed in between.
 */
final class ConnectionListeners {

    private static final System.Logger LOG = System.getLogger(ConnectionListeners.class.getName());

    /** Calls waiting for the callback lane beyond which events are not queued (about the reconnects of days). */
    static final int MAX_QUEUED = 1_000;

    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final UserCallbacks callers;
    private final AtomicInteger queued = new AtomicInteger();
    /** The newest event not queued because too many waited; told once they are done. */
    private final AtomicReference<Consumer<ConnectionListener>> skipped = new AtomicReference<>();
    private final RateLimitedLog skippedLog = new RateLimitedLog(LOG, 10_000);

    /** The link whose "connected" the listeners were told last, with no "disconnected" since; guarded by this. */
    private Object toldConnected;
    /** A lost link whose "connected" is not told yet, and why it was lost; guarded by this. */
    private Object heldLink;
    private String heldReason;

    ConnectionListeners(UserCallbacks callers) {
        this.callers = callers;
    }

    /** @param readyGatewayId the gateway id if the client is ready now, else null */
    void add(ConnectionListener listener, Supplier<String> readyGatewayId) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        String gid = readyGatewayId.get();
        if (gid != null) {
            callers.run(() -> tell(listener, l -> l.connected(gid)));
        }
    }

    void remove(ConnectionListener listener) {
        listeners.remove(listener);
    }

    /**
     * {@code link} became ready. Its loss may have been heard already, on a transport thread, between the state
     * change and this call: then the listeners hear "connected" and right after it the held "disconnected", never the
     * other way round.
     */
    synchronized void connected(Object link, String gatewayId) {
        tellAll(l -> l.connected(gatewayId));
        toldConnected = link;
        if (heldLink == link) {
            heldLink = null;
            disconnected(link, heldReason);
        }
    }

    /** {@code link}, which was ready, is gone (or the client closed while it was). */
    synchronized void disconnected(Object link, String reason) {
        if (link != toldConnected) {
            heldLink = link; // its "connected" is on its way: this follows it
            heldReason = reason;
            return;
        }
        toldConnected = null;
        tellAll(l -> l.disconnected(reason));
    }

    private void tellAll(Consumer<ConnectionListener> call) {
        if (queued.get() >= MAX_QUEUED) {
            skipped.set(call);
            skippedLog.warn(queued.get() + " connection listener calls wait for the callback lane, which a "
                    + "ConnectionListener or a CompletionStage continuation blocks: later connection events are not "
                    + "queued; the newest is told once the lane moves again");
            return;
        }
        skipped.set(null); // this event is newer than any skipped one
        for (ConnectionListener listener : listeners) {
            queued.incrementAndGet();
            callers.run(() -> {
                try {
                    tell(listener, call);
                } finally {
                    if (queued.decrementAndGet() == 0) {
                        tellSkipped();
                    }
                }
            });
        }
    }

    private void tellSkipped() {
        Consumer<ConnectionListener> latest = skipped.getAndSet(null);
        if (latest != null) {
            tellAll(latest);
        }
    }

    /** @return calls waiting for the callback lane (for tests of the bound) */
    int queued() {
        return queued.get();
    }

    private static void tell(ConnectionListener listener, Consumer<ConnectionListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "A connection listener failed", e);
        }
    }
}
