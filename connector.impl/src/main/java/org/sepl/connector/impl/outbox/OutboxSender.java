package org.sepl.connector.impl.outbox;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.impl.ratelimit.TokenBucket;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.request.RequestTracker.Channel;

/**
 * Sends what an {@link Outbox} holds (Paho's {@code CommsSender} over its persistence): the caller appends, and the
 * sender reads {@link Outbox#pending} in accepted order and sends while the client is ready and the window has room,
 * then settles each message by the platform's answer.
 * <ul>
 * <li>2xx: {@code DELIVERED}; 4xx: {@code REJECTED} (final, reported to the caller, not retried);</li>
 * <li>5xx or no answer in time: stays pending, sent again after {@code retryDelay};</li>
 * <li>link lost: stays pending; after every synchronisation (a new link) all pending messages are sent again from
 * the oldest, in accepted order, skipping only those already in flight on that same link.</li>
 * </ul>
 * A <b>duplicate</b> (the platform gets a message twice) happens only when a message was sent and its answer did not
 * settle it: the link dropped or the answer timed out after the platform got it, a 5xx after it applied it, the
 * settlement could not be stored, or the outbox was swapped while it was in flight.
 * <p>
 * Threads: sending runs on whichever thread triggers it (the appending caller, the callback thread after an answer,
 * the timer after a delay), one at a time ({@code drainRequests}); no thread hand-off per message. The outbox's own
 * threads never send (an append completed later hands over to {@code callbacks}).
 */
public final class OutboxSender implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OutboxSender.class.getName());
    /** Messages read from the outbox at once. */
    static final int BATCH = 256;
    /** How long an answer waits for its caller's registration (an append racing with its own send). */
    private static final long EARLY_ANSWER_KEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The platform's answer, or the failure, of a message whose caller was not registered yet. */
    private record Outcome(Response response, Throwable error, long atNanos) {
    }

    /** Where a message is on the wire: a send on {@code channel} from {@code outbox}. */
    private record InFlight(Outbox outbox, Channel channel) {
    }

    private final RequestTracker tracker;
    private final Supplier<Channel> readyChannel;
    private final Executor callbacks;
    private final ScheduledExecutorService timer;
    private final Duration requestTimeout;
    private final Duration retryDelay;
    private final Outbox own;
    private final OutboxListener removals = this::removed;

    private volatile Outbox outbox;
    private volatile TokenBucket rateLimit;
    private volatile boolean closed;

    /** id → the caller's answered stage, or an {@link Outcome} that came before the caller registered. */
    private final Map<Long, Object> waiters = new ConcurrentHashMap<>();
    private final Queue<Long> earlyAnswers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger appending = new AtomicInteger();
    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();

    // drain state: only the draining thread touches it
    private final AtomicInteger drainRequests = new AtomicInteger();
    private Outbox cursorOutbox;
    private Channel cursorChannel;
    private long cursor;
    private volatile boolean rewind;
    /** False once a read found nothing after {@link #cursor}: until then the outbox may hold unsent messages. */
    private boolean mayHoldUnsent;
    /**
     * The newest id an append through this sender got, and in which outbox (ids of different outboxes are not
     * comparable: after a swap the new one may number from 1): a message after the cursor is one of those.
     */
    private final java.util.concurrent.atomic.AtomicReference<Newest> newestAppended =
            new java.util.concurrent.atomic.AtomicReference<>(new Newest(null, 0));

    private record Newest(Outbox outbox, long id) {
    }

    /** Nothing is known about what was appended to an outbox: read it. */
    private static final long UNKNOWN = Long.MAX_VALUE;
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final AtomicBoolean delayed = new AtomicBoolean();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();

    /**
     * @param own the client's own outbox: used while no other is set, closed with this sender
     */
    public OutboxSender(Outbox own, RequestTracker tracker, Supplier<Channel> readyChannel, Executor callbacks,
            ScheduledExecutorService timer, Duration requestTimeout, Duration retryDelay) {
        this.own = Objects.requireNonNull(own, "own must not be null");
        this.tracker = Objects.requireNonNull(tracker);
        this.readyChannel = Objects.requireNonNull(readyChannel);
        this.callbacks = Objects.requireNonNull(callbacks);
        this.timer = Objects.requireNonNull(timer);
        this.requestTimeout = Objects.requireNonNull(requestTimeout);
        this.retryDelay = Objects.requireNonNull(retryDelay);
        this.outbox = own;
        own.addListener(removals);
    }

    /** Outgoing events at most at this rate (delayed, never dropped); null: no limit. */
    public void rateLimit(TokenBucket bucket) {
        this.rateLimit = bucket;
    }

    /** @return the outbox in use */
    public Outbox outbox() {
        return outbox;
    }

    /** @return the client's own outbox (the fallback) */
    public Outbox ownOutbox() {
        return own;
    }

    // ---- sending --------------------------------------------------------------------------------------------

    /** Stores a message and sends it when it can: see {@link Delivery}. */
    public Delivery send(OutboxMessage message) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        CompletableFuture<Response> answered = new CompletableFuture<>();
        if (closed) {
            ConnectorException e = new ConnectorException(Reason.CLOSED, "client is closed: the " + what(message)
                    + " was not stored");
            stored.completeExceptionally(e);
            answered.completeExceptionally(e);
            return new Delivery(stored, answered);
        }
        appending.incrementAndGet();
        CompletableFuture<OutboxEntry> appended;
        Outbox target = outbox;
        try {
            appended = target.append(message).toCompletableFuture();
        } catch (RuntimeException e) {
            appending.decrementAndGet();
            refused(message, e, stored, answered);
            return new Delivery(stored, answered);
        }
        if (appended.isDone()) {
            appended(target, message, appended, stored, answered);
            drain();
        } else {
            appended.whenComplete((entry, error) -> run(() -> {
                appended(target, message, appended, stored, answered);
                drain();
            }));
        }
        return new Delivery(stored, answered);
    }

    private void appended(Outbox target, OutboxMessage message, CompletableFuture<OutboxEntry> appended,
            CompletableFuture<Void> stored, CompletableFuture<Response> answered) {
        try {
            OutboxEntry entry;
            try {
                entry = appended.join();
            } catch (RuntimeException e) {
                refused(message, e, stored, answered);
                return;
            }
            Newest mine = new Newest(target, entry.id());
            newestAppended.accumulateAndGet(mine, (now, add) -> now.outbox() == add.outbox() && now.id() >= add.id() ? now : add);
            Object early = waiters.putIfAbsent(entry.id(), answered);
            if (early instanceof Outcome o) {
                waiters.remove(entry.id(), o);
                complete(answered, o.response(), o.error());
            }
            stored.complete(null);
        } finally {
            appending.decrementAndGet();
        }
    }

    private static void refused(OutboxMessage message, Throwable error, CompletableFuture<Void> stored,
            CompletableFuture<Response> answered) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        ConnectorException e = new ConnectorException(Reason.REFUSED, "the " + what(message) + " was not stored: "
                + cause.getMessage(), cause);
        stored.completeExceptionally(e);
        answered.completeExceptionally(e);
    }

    private static String what(OutboxMessage m) {
        return (m.kind() == OutboxMessage.Kind.EVENT ? "event " : "answer ") + m.serviceId() + " of device " + m.deviceId();
    }

    /** Sends what can go now: one thread at a time, the others leave a request for another round. */
    public void drain() {
        if (drainRequests.getAndIncrement() != 0) {
            return;
        }
        do {
            try {
                drainOnce();
            } catch (RuntimeException e) {
                LOG.log(WARNING, "Cannot read the outbox " + outbox + ": " + e.getMessage());
            }
        } while (drainRequests.decrementAndGet() != 0);
    }

    /** The client became ready on a new link: everything pending is sent again, from the oldest. */
    public void connected() {
        rewind = true;
        drain();
    }

    /** Called periodically: retries a drain that stopped at a full window. */
    public void sweep() {
        if (stalled.compareAndSet(true, false)) {
            drain();
        }
        long now = System.nanoTime();
        for (Long id; (id = earlyAnswers.peek()) != null;) {
            Object o = waiters.get(id);
            if (o instanceof Outcome outcome && now - outcome.atNanos() < EARLY_ANSWER_KEEP_NANOS) {
                break;
            }
            earlyAnswers.poll();
            if (o instanceof Outcome outcome) {
                waiters.remove(id, outcome);
            }
        }
    }

    private void drainOnce() {
        Channel channel = readyChannel.get();
        Outbox ob = outbox;
        if (channel == null || closed) {
            return;
        }
        if (channel != cursorChannel || ob != cursorOutbox || rewind) {
            rewind = false;
            cursorChannel = channel;
            cursorOutbox = ob;
            cursor = 0;
            mayHoldUnsent = true;
        }
        if (!mayHoldUnsent && cursor >= newestAppendedTo(ob)) {
            return; // everything appended was sent: no read (a drain follows every answer)
        }
        while (true) {
            long newest = newestAppendedTo(ob);
            List<OutboxEntry> batch = ob.pending(cursor, BATCH);
            if (batch.isEmpty()) {
                // what was appended up to newest is sent or gone (expired, dropped): later reads start after it
                if (newest != UNKNOWN) {
                    cursor = Math.max(cursor, newest);
                }
                mayHoldUnsent = false;
                return;
            }
            for (OutboxEntry e : batch) {
                InFlight on = inFlight.get(e.id());
                if (on != null && on.channel() == channel && on.outbox() == ob) {
                    cursor = e.id();
                    continue;
                }
                if (e.message().kind() == OutboxMessage.Kind.EVENT && !mayGoNow()) {
                    return;
                }
                InFlight mine = new InFlight(ob, channel);
                inFlight.put(e.id(), mine);
                String handler = e.message().kind() == OutboxMessage.Kind.EVENT ? "event" : "response";
                CompletableFuture<Response> result;
                try {
                    result = tracker.trySend(channel, handler, token -> FrameTemplate.withToken(e.message().payload(), token),
                            requestTimeout);
                } catch (RuntimeException ex) {
                    inFlight.remove(e.id(), mine);
                    throw ex;
                }
                if (result.isCompletedExceptionally()) {
                    // only a full window fails at once: stop; an answer or the sweep drains again
                    inFlight.remove(e.id(), mine);
                    stalled.set(true);
                    return;
                }
                cursor = e.id();
                result.whenComplete((response, error) -> answered(e, mine, response, error));
            }
        }
    }

    /** The newest id appended through this sender to {@code ob}, or {@link #UNKNOWN} if the newest append was to another. */
    private long newestAppendedTo(Outbox ob) {
        Newest n = newestAppended.get();
        return n.outbox() == ob ? n.id() : UNKNOWN;
    }

    /** Takes a token of the rate limit, or schedules a drain when the next one is there. */
    private boolean mayGoNow() {
        TokenBucket bucket = rateLimit;
        if (bucket == null) {
            return true;
        }
        double available = bucket.available();
        if (available >= 1) {
            bucket.reserve();
            return true;
        }
        if (delayed.compareAndSet(false, true)) {
            long waitNanos = (long) Math.ceil((1 - available) / bucket.averagePerSecond() * 1e9);
            try {
                timer.schedule(() -> {
                    delayed.set(false);
                    drain();
                }, Math.max(waitNanos, 100_000), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                delayed.set(false); // closing
            }
        }
        return false;
    }

    /** The platform answered, or the send failed (on the callback thread). */
    private void answered(OutboxEntry e, InFlight sent, Response response, Throwable error) {
        inFlight.remove(e.id(), sent);
        if (error == null && response.status() < 500) {
            Outbox.Settlement how = response.isSuccess() ? Outbox.Settlement.DELIVERED : Outbox.Settlement.REJECTED;
            settle(sent.outbox(), e, how);
            finish(e.id(), response, null);
        } else if (error != null && !isRetried(error)) {
            // not sent (could not encode it): it never can be; reject it so that it does not block the others
            settle(sent.outbox(), e, Outbox.Settlement.REJECTED);
            finish(e.id(), null, error);
        } else if (error == null || reason(error) == Reason.TIMEOUT) {
            // 5xx or no answer: stays pending, sent again after a pause (not in a tight loop)
            if (retryScheduled.compareAndSet(false, true)) {
                try {
                    timer.schedule(() -> {
                        retryScheduled.set(false);
                        rewind = true;
                        drain();
                    }, retryDelay.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    retryScheduled.set(false); // closing: the message stays in the outbox
                }
            }
        }
        // CONNECTION_LOST / CLOSED: stays pending; the next synchronisation sends it again
        drain();
    }

    private static boolean isRetried(Throwable error) {
        return reason(error) != null;
    }

    private static Reason reason(Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return t instanceof ConnectorException ce ? ce.reason() : null;
    }

    private void settle(Outbox ob, OutboxEntry e, Outbox.Settlement how) {
        try {
            ob.settle(e.id(), how).whenComplete((done, error) -> {
                if (error != null) {
                    LOG.log(WARNING, "Cannot settle message {0} in {1} (it will be sent again): {2}", e.id(), ob,
                            error.getMessage());
                }
            });
        } catch (RuntimeException ex) {
            LOG.log(WARNING, "Cannot settle message {0} in {1} (it will be sent again): {2}", e.id(), ob, ex.getMessage());
        }
    }

    /** Completes the caller of message {@code id}; if it is not registered yet, leaves the outcome for it. */
    private void finish(long id, Response response, Throwable error) {
        Object waiter = waiters.get(id);
        if (waiter == null && appending.get() > 0) {
            Outcome outcome = new Outcome(response, error, System.nanoTime());
            waiter = waiters.putIfAbsent(id, outcome);
            if (waiter == null) {
                earlyAnswers.add(id);
                return;
            }
        }
        if (waiter instanceof CompletableFuture<?> f && waiters.remove(id, f)) {
            @SuppressWarnings("unchecked")
            CompletableFuture<Response> answered = (CompletableFuture<Response>) f;
            complete(answered, response, error);
        }
    }

    private static void complete(CompletableFuture<Response> answered, Response response, Throwable error) {
        if (error != null) {
            answered.completeExceptionally(error);
        } else {
            answered.complete(response);
        }
    }

    /** The outbox dropped or expired a message: its caller learns it will never be delivered. */
    private void removed(OutboxEntry entry, OutboxListener.Reason why) {
        Reason reason = why == OutboxListener.Reason.DROPPED ? Reason.DROPPED : Reason.EXPIRED;
        String text = "the " + what(entry.message()) + " was " + (why == OutboxListener.Reason.DROPPED
                ? "dropped from the full outbox to make room" : "older than the outbox's maximum age")
                + ": it will not be delivered";
        run(() -> finish(entry.id(), null, new ConnectorException(reason, text)));
    }

    // ---- outbox swap and status ----------------------------------------------------------------------------

    /**
     * Switches to another outbox ({@code null}: the client's own). What the old one held: an in-memory outbox's
     * pending messages are moved into the new one (their callers keep waiting; a message in flight during the move
     * may reach the platform twice); a durable one keeps them for its next open, and their callers are told so
     * ({@code CLOSED}). The old outbox is not closed (its owner does that), except the client's own, which stays open
     * as the fallback.
     */
    public synchronized void useOutbox(Outbox next) {
        Outbox to = next == null ? own : next;
        Outbox from = outbox;
        if (to == from) {
            return;
        }
        to.addListener(removals);
        outbox = to;
        from.removeListener(removals);
        if (from instanceof org.sepl.connector.store.memory.InMemoryOutbox) {
            moveAll(from, to);
        } else {
            failWaiters(Reason.CLOSED, "the outbox was replaced by " + to + "; " + from
                    + " keeps the message for its next open");
        }
        rewind = true;
        drain();
    }

    private void moveAll(Outbox from, Outbox to) {
        int moved = 0;
        int lost = 0;
        long after = 0;
        List<OutboxEntry> page;
        try {
            while (!(page = from.pending(after, BATCH)).isEmpty()) {
                for (OutboxEntry e : page) {
                    after = e.id();
                    Object waiter = waiters.remove(e.id());
                    CompletableFuture<OutboxEntry> appended = to.append(e.message()).toCompletableFuture();
                    try {
                        OutboxEntry copy = appended.get(10, TimeUnit.SECONDS);
                        if (waiter != null) {
                            waiters.put(copy.id(), waiter);
                        }
                        from.settle(e.id(), Outbox.Settlement.DELIVERED);
                        moved++;
                    } catch (Exception ex) {
                        lost++;
                        if (waiter instanceof CompletableFuture<?> f) {
                            f.completeExceptionally(new ConnectorException(Reason.REFUSED, "the new outbox " + to
                                    + " refused a message moved from " + from + ": " + ex.getMessage(), ex));
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cannot read the old outbox " + from + " to move its messages: " + e.getMessage());
        }
        if (moved + lost > 0) {
            LOG.log(INFO, "Moved {0} pending messages from {1} to {2}{3}", moved, from, to,
                    lost == 0 ? "" : " (" + lost + " refused by the new one, reported to their callers)");
        }
    }

    /** @return the outbox's status now */
    public OutboxStatus status() {
        return outbox.status();
    }

    /** @return messages on the wire, not yet answered */
    public int inFlight() {
        return inFlight.size();
    }

    private void failWaiters(Reason reason, String text) {
        for (Long id : waiters.keySet()) {
            Object w = waiters.remove(id);
            if (w instanceof CompletableFuture<?> f) {
                f.completeExceptionally(new ConnectorException(reason, text));
            }
        }
    }

    private void run(Runnable r) {
        try {
            callbacks.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    /**
     * Stops sending; callers still waiting get {@code CLOSED} (their messages stay in a durable outbox for its next
     * open); closes the client's own outbox.
     */
    @Override
    public void close() {
        closed = true;
        failWaiters(Reason.CLOSED, "client closed before the platform answered; a durable outbox keeps the message");
        outbox.removeListener(removals);
        own.close();
    }
}
