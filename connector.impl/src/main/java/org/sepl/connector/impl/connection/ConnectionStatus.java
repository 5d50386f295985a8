package org.sepl.connector.impl.connection;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.sepl.connector.api.ConnectionState;

/**
 * The connection state, when it was entered, the last error and the current link: one immutable {@link Snapshot}
 * swapped atomically, so that no reader ever sees half a change. {@code CLOSED} is final: nothing leaves it. A
 * state that belongs to a link ({@code CONNECTING} with a link, {@code SYNCHRONISING}, {@code READY}) can only be
 * entered by the current link, so that a link that was lost meanwhile never leaves the client synchronising.
 */
public final class ConnectionStatus {

    /** One consistent view. {@code link} is set from the moment a connection is open until it is lost. */
    public record Snapshot(ConnectionState state, Instant since, String lastError, Link link) {

        public boolean isReady() {
            return state == ConnectionState.READY;
        }
    }

    private final AtomicReference<Snapshot> current = new AtomicReference<>(
            new Snapshot(ConnectionState.DISCONNECTED, Instant.now(), null, null));

    public Snapshot get() {
        return current.get();
    }

    /** @return the link if the client is ready, else null (one read: state and link agree) */
    public Link readyLink() {
        Snapshot s = current.get();
        return s.state == ConnectionState.READY ? s.link : null;
    }

    /** A new connection attempt begins (no link yet). @return false if closed */
    public boolean connecting() {
        return swap(s -> s.state == ConnectionState.CLOSED ? null
                : new Snapshot(ConnectionState.CONNECTING, Instant.now(), s.lastError, null));
    }

    /** The attempt failed before any link existed. @return false if closed */
    public boolean failed(String error) {
        return swap(s -> s.state == ConnectionState.CLOSED || s.link != null ? null
                : new Snapshot(ConnectionState.DISCONNECTED, Instant.now(), error, null));
    }

    /** A connection is open: it becomes the current link (still connecting). @return false if closed */
    public boolean opened(Link link) {
        return swap(s -> s.state != ConnectionState.CONNECTING || s.link != null ? null
                : new Snapshot(ConnectionState.CONNECTING, s.since, s.lastError, link));
    }

    /**
     * Enters {@code SYNCHRONISING} or {@code READY} for {@code link}.
     *
     * @return false if {@code link} is not the current link any more, or the client is closed
     */
    public boolean enter(ConnectionState next, Link link) {
        return swap(s -> s.state == ConnectionState.CLOSED || s.link != link ? null
                : new Snapshot(next, s.state == next ? s.since : Instant.now(), s.lastError, link));
    }

    /**
     * {@code link} is gone.
     *
     * @return the snapshot before, or null if {@code link} was not the current link (or the client is closed)
     */
    public Snapshot lost(Link link, String error) {
        while (true) {
            Snapshot s = current.get();
            if (s.link != link || s.state == ConnectionState.CLOSED) {
                return null;
            }
            if (current.compareAndSet(s, new Snapshot(ConnectionState.DISCONNECTED, Instant.now(), error, null))) {
                wake();
                return s;
            }
        }
    }

    /** Records an error without changing the state (unless closed). */
    public void error(String error) {
        swap(s -> s.state == ConnectionState.CLOSED ? null : new Snapshot(s.state, s.since, error, s.link));
    }

    /** @return the snapshot before; the client is closed from now on */
    public Snapshot close() {
        Snapshot before = current.getAndUpdate(s -> s.state == ConnectionState.CLOSED ? s
                : new Snapshot(ConnectionState.CLOSED, Instant.now(), s.lastError, null));
        wake();
        return before;
    }

    private boolean swap(java.util.function.UnaryOperator<Snapshot> change) {
        while (true) {
            Snapshot s = current.get();
            Snapshot next = change.apply(s);
            if (next == null) {
                return false;
            }
            if (current.compareAndSet(s, next)) {
                if (next.state != s.state) {
                    wake();
                }
                return true;
            }
        }
    }

    private synchronized void wake() {
        notifyAll();
    }

    /** @return true once ready; false if closed first or the timeout passed */
    public synchronized boolean awaitReady(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            Snapshot s = current.get();
            if (s.state == ConnectionState.READY) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (s.state == ConnectionState.CLOSED || left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
