package org.sepl.connector.impl.request;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.RoundTrips;
import org.sepl.connector.api.transport.WebSocketTransport.Connection;
import org.sepl.connector.impl.wire.WireCodec.ResponseFrame;

/**
 * Requests sent and not yet answered (Paho's {@code ClientState}/{@code CommsTokenStore}): unique tokens, the
 * window of requests in flight, deadlines, and what happens to the requests of a link that dropped.
 * <p>
 * Every request completes exactly once: with the platform's answer, {@code TIMEOUT}, {@code WINDOW_FULL},
 * {@code CONNECTION_LOST} or {@code CLOSED}. Its stage is internal and completes on the thread that learnt the
 * outcome (the I/O thread for an answer, the timer for a timeout): whoever waits on it hands the work on to its own
 * lane, and stages callers see are completed on the callback lane ({@code UserCallbacks}). Requests whose link
 * drops fail with {@code CONNECTION_LOST}; events and command answers are sent again from the outbox
 * ({@link org.sepl.connector.impl.outbox.OutboxSender}).
 */
public final class RequestTracker {

    /** Told when a link looks dead although it may still answer pings. */
    public interface UnresponsiveListener {
        void unresponsive(Channel channel, String why);
    }

    /** The requests of one connection: they share its fate when it drops. */
    public final class Channel {
        final Connection connection;
        private volatile boolean closed;

        private Channel(Connection connection) {
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        public boolean isClosed() {
            return closed;
        }

        /** The connection is gone: fails every request it held. Idempotent. */
        public void close(Reason reason, String message) {
            closed = true;
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                if (e.getValue().channel == this) {
                    lose(e.getKey(), reason, message);
                }
            }
        }
    }

    /** A request sent and not yet answered. */
    private static final class Pending {
        final CompletableFuture<Response> result = new CompletableFuture<>();
        final Channel channel;
        final String handler;
        final boolean holdsPermit;
        final Duration timeout;
        final long sent;
        final long deadline;

        Pending(Channel channel, String handler, boolean holdsPermit, Duration timeout) {
            this.channel = channel;
            this.handler = handler;
            this.holdsPermit = holdsPermit;
            this.timeout = timeout;
            this.sent = System.nanoTime();
            this.deadline = sent + timeout.toNanos();
        }
    }

    private final int windowSize;
    private final Semaphore window;
    private final int timeoutsBeforeUnresponsive;
    private volatile UnresponsiveListener unresponsive = (channel, why) -> { };
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final String tokenPrefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicInteger consecutiveTimeouts = new AtomicInteger();
    private final RoundTripTimes roundTrips = new RoundTripTimes(System::nanoTime);

    /**
     * @param timeoutsBeforeUnresponsive consecutive timeouts with nothing received in between after which the
     *                                   {@link #whenUnresponsive listener} is told
     */
    public RequestTracker(int windowSize, int timeoutsBeforeUnresponsive) {
        this.windowSize = windowSize;
        this.window = new Semaphore(windowSize);
        this.timeoutsBeforeUnresponsive = timeoutsBeforeUnresponsive;
    }

    /** Who is told when a link stops answering requests (the connection's lifecycle, which reconnects). */
    public void whenUnresponsive(UnresponsiveListener listener) {
        this.unresponsive = Objects.requireNonNull(listener, "listener must not be null");
    }

    public Channel open(Connection connection) {
        return new Channel(Objects.requireNonNull(connection));
    }

    /** @return how long the platform took to answer the requests of the window (not the handshake's) */
    public RoundTrips roundTrips() {
        return roundTrips.snapshot();
    }

    /** @return requests sent and not yet answered (those holding a slot of the window) */
    public int inFlight() {
        return windowSize - window.availablePermits();
    }

    /**
     * Sends a request if the window has a free slot; otherwise fails it at once with {@code WINDOW_FULL}, without
     * sending anything. For callers' requests: they never wait.
     *
     * The returned stage is already failed when this returns only for {@code WINDOW_FULL}.
     *
     * @param frame builds the frame for the request's token
     */
    public CompletableFuture<Response> trySend(Channel channel, String handler, Function<String, String> frame,
            Duration timeout) {
        if (!window.tryAcquire()) {
            return CompletableFuture.failedFuture(new ConnectorException(Reason.WINDOW_FULL, "not sent: window full ("
                    + windowSize + " requests in flight): the " + handler + " was not sent"));
        }
        return register(channel, handler, frame, timeout);
    }

    /**
     * Sends a request, waiting up to its timeout for a free slot. For the client's own threads (synchronisation,
     * device changes), never for a caller's.
     */
    public CompletableFuture<Response> send(Channel channel, String handler, Function<String, String> frame,
            Duration timeout) {
        if (!window.tryAcquire()) {
            try {
                if (!window.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    return CompletableFuture.failedFuture(new ConnectorException(Reason.TIMEOUT, "no free request slot within "
                            + timeout + " (" + windowSize + " requests in flight): the " + handler + " was not sent"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(new ConnectorException(Reason.INTERRUPTED,
                        "interrupted while waiting for a free request slot"));
            }
        }
        return register(channel, handler, frame, timeout);
    }

    /** Waits for the answer to a frame with a fixed token (the handshake), outside the window. */
    public CompletableFuture<Response> expect(Channel channel, String token, String handler, Duration timeout) {
        Pending p = new Pending(channel, handler, false, timeout);
        pending.put(token, p);
        if (channel.closed) {
            lose(token, Reason.CONNECTION_LOST, "connection lost before the " + handler + " was sent");
        }
        return p.result;
    }

    private CompletableFuture<Response> register(Channel channel, String handler, Function<String, String> frame,
            Duration timeout) {
        String token = tokenPrefix + tokens.incrementAndGet();
        Pending p = new Pending(channel, handler, true, timeout);
        pending.put(token, p);
        if (channel.closed) {
            // the link dropped while this request was being registered: close() may have missed it
            lose(token, Reason.CONNECTION_LOST, "connection lost before the " + handler + " was sent");
            return p.result;
        }
        String text;
        try {
            text = frame.apply(token);
        } catch (RuntimeException e) {
            fail(token, new IllegalArgumentException("cannot encode the " + handler + ": " + e.getMessage(), e));
            return p.result;
        }
        channel.connection.send(text, error -> lose(token, Reason.CONNECTION_LOST, "could not send the " + handler + ": " + error));
        return p.result;
    }

    /** Anything arrived from the platform: the link is alive. */
    public void received() {
        if (consecutiveTimeouts.get() != 0) {
            consecutiveTimeouts.set(0);
        }
    }

    /**
     * An answer from the platform (I/O thread).
     *
     * @return false if no request waits for this token (expired, or never sent)
     */
    public boolean answer(ResponseFrame frame) {
        Pending p = pending.remove(frame.token());
        if (p == null) {
            return false;
        }
        if (p.holdsPermit) {
            long now = System.nanoTime();
            roundTrips.record(now - p.sent, now);
        }
        settle(p, new Response(frame.status(), frame.contentType(), frame.payload()), null);
        return true;
    }

    /** Fails the requests whose deadline passed; tells the listener when a link stopped answering. */
    public void sweep() {
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Channel silent = null;
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (now - p.deadline >= 0 && pending.remove(e.getKey(), p)) {
                settle(p, null, new ConnectorException(Reason.TIMEOUT, "no answer to the " + p.handler + " within " + p.timeout));
                if (p.holdsPermit && consecutiveTimeouts.incrementAndGet() >= timeoutsBeforeUnresponsive && !p.channel.closed) {
                    silent = p.channel;
                }
            }
        }
        if (silent != null) {
            int n = consecutiveTimeouts.getAndSet(0);
            unresponsive.unresponsive(silent, n + " requests in a row got no answer and nothing else arrived");
        }
    }

    private void fail(String token, Throwable error) {
        Pending p = pending.remove(token);
        if (p != null) {
            settle(p, null, error);
        }
    }

    /** The request's link is gone: it fails. */
    private void lose(String token, Reason reason, String message) {
        Pending p = pending.remove(token);
        if (p != null) {
            settle(p, null, new ConnectorException(reason, message));
        }
    }

    private void release(Pending p) {
        if (p.holdsPermit) {
            window.release();
        }
    }

    /** Completes a request exactly once (callers removed it from {@link #pending}). */
    private void settle(Pending p, Response response, Throwable error) {
        release(p);
        if (error == null) {
            p.result.complete(response);
        } else {
            p.result.completeExceptionally(error);
        }
    }
}
