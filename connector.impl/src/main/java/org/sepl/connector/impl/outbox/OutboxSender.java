package org.sepl.connector.impl.outbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.DeliveryLedger.Refusal;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxRefusedException;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.impl.executor.SerialExecutor;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.logging.RateLimitedLog;
import org.sepl.connector.impl.ledger.LossLedger;
import org.sepl.connector.impl.ledger.OutboxUse;
import org.sepl.connector.impl.ratelimit.EventPacer;
import org.sepl.connector.impl.ratelimit.TokenBucket;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.FrameTemplate;
import org.sepl.connector.impl.request.RequestTracker.Channel;

/**
 * Sends what an {@link Outbox} holds (Paho's {@code CommsSender} over its persistence), on one owner thread: the
 * client's {@code outbox} lane, which appends what callers hand over, reads {@link Outbox#pending} in accepted
 * order, sends while the client is ready and the window has room ({@link SendCursor}), and settles each message by
 * the platform's answer, telling whoever waits ({@link OutboxWaiters}):
 * <ul>
 * <li>2xx: {@code DELIVERED}; 4xx: {@code REJECTED} (final, reported to the caller, not retried);</li>
 * <li>5xx or no answer in time: stays pending, sent again after {@code retryDelay};</li>
 * <li>link lost: stays pending; after every synchronisation (a new link) all pending messages are sent again from
 * the oldest, in accepted order, skipping only those already in flight on that same link.</li>
 * <li>an answered message whose settlement the outbox cannot store (a full disk) is not sent again; its settlement
 * is tried again after {@code retryDelay} ({@link Settler}), and the log says so at most once a minute.</li>
 * </ul>
 * A <b>duplicate</b> reaches the platform only when a message was sent and its answer did not settle it: the link
 * dropped or the answer timed out after the platform got it, a 5xx after it applied it, a settlement not stored
 * before a crash.
 * <p>
 * <b>Threads.</b> Every outbox operation (append, read, settle, swap) runs on the lane, in order, and all the state
 * below the queues is confined to it. Other threads only queue: a message to append ({@link #toAppend}), a durable
 * append's completion ({@link #stored}), an answer ({@link #answers}), or a task; one lane task takes everything
 * queued and then sends what can go, so a burst costs one hand-off. The lane never blocks on the network, never runs
 * user code (callers' stages complete on the callback lane) and, but for moving an in-memory outbox's messages into
 * its replacement ({@link OutboxMove}), never waits. At most {@link AppendBacklog}'s bound of messages wait for it.
 * <p>
 * <b>Loss ledger.</b> Each outcome is counted where it is learnt ({@link LossLedger}: offered, refused by reason,
 * stored, settled, dropped, expired, moved, per use of an outbox); {@link OutboxWatch} samples it on the lane.
 * (About 630 lines: the lane's one state machine, half of them javadoc; its bookkeeping lives in {@link SendCursor},
 * {@link OutboxWaiters}, {@link InFlightMessages}, {@link AppendBacklog}, {@link Settler} and the ledger.)
 */
public final class OutboxSender implements MessageSender {

    private static final System.Logger LOG = System.getLogger(OutboxSender.class.getName());
    /** Messages read from the outbox at once. */
    static final int BATCH = 256;
    /** At most one line a minute about the outbox failing to settle or to be read (a full disk: per message else). */
    static final long STORE_TROUBLE_LOG_INTERVAL_MILLIS = 60_000;

    /** A message a caller handed over, to append on the lane. */
    private record ToAppend(OutboxMessage message, Waiter waiter, CompletableFuture<Void> stored) {
    }

    /** An append that completed on another thread (a durable outbox's writer), to register on the lane. */
    private record Stored(MessageKey key, Waiter waiter) {
    }

    /** A send's outcome, from the thread that learnt it. */
    private record Answered(MessageKey key, Channel channel, Response response, Throwable error) {
    }

    private final RequestTracker tracker;
    private final Supplier<Channel> readyChannel;
    private final SerialExecutor lane;
    private final ScheduledExecutorService timer;
    private final UserCallbacks callers;
    private final Duration requestTimeout;
    private final Duration retryDelay;
    private final EventPacer pacer;
    private final LossLedger ledger = new LossLedger();
    private final OutboxWatch watch;
    private final AppendBacklog backlog = new AppendBacklog();

    // written on the lane, read anywhere
    private volatile Outbox outbox;
    private volatile boolean closed;
    /** Set on the lane when the window was full; the sweep then asks the lane to try again. */
    private volatile boolean stalled;

    // queued by other threads for the lane
    private final Queue<ToAppend> toAppend = new ConcurrentLinkedQueue<>();
    private final Queue<Stored> stored = new ConcurrentLinkedQueue<>();
    private final Queue<Answered> answers = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean workQueued = new AtomicBoolean();
    private final AtomicBoolean sampleQueued = new AtomicBoolean();
    // confined to the lane
    /** The ledger's account of the outbox in use. */
    private OutboxUse use;
    private final OutboxWaiters waiters;
    private final SendCursor cursor = new SendCursor();
    /** Messages on the wire: on which link; moved ones follow their copy. */
    private final InFlightMessages inFlight = new InFlightMessages();
    private final Map<Outbox, OutboxListener> removalListeners = new HashMap<>();
    private boolean retryScheduled;
    /** Settles answered messages; those the outbox could not settle (a full disk) are tried again, not sent again. */
    private final Settler settler;
    private final RateLimitedLog readTrouble = new RateLimitedLog(LOG, STORE_TROUBLE_LOG_INTERVAL_MILLIS);

    /**
     * @param outbox    the outbox to start with (the caller owns it), or null: none yet (messages are refused)
     * @param rateLimit outgoing events at most at this rate (delayed, never dropped); null: no limit
     */
    public OutboxSender(Outbox outbox, RequestTracker tracker, Supplier<Channel> readyChannel, SerialExecutor lane,
            ScheduledExecutorService timer, UserCallbacks callers, Duration requestTimeout, Duration retryDelay,
            TokenBucket rateLimit) {
        this.outbox = outbox;
        this.tracker = tracker;
        this.readyChannel = readyChannel;
        this.lane = lane;
        this.timer = timer;
        this.callers = callers;
        this.requestTimeout = requestTimeout;
        this.retryDelay = retryDelay;
        this.pacer = new EventPacer(rateLimit, nanos -> schedule(this::paced, nanos));
        this.waiters = new OutboxWaiters(callers);
        this.watch = new OutboxWatch(ledger);
        this.settler = new Settler(ledger, this::onLane, timer, retryDelay, ob -> !closed && ob == outbox);
        if (outbox != null) {
            take(outbox); // here, before anyone else can reach it: what it holds is counted exactly
        }
    }

    // ---- any thread -------------------------------------------------------------------------------------------

    @Override
    public Delivery send(OutboxMessage message) {
        CompletableFuture<Void> storedStage = new CompletableFuture<>();
        CompletableFuture<Response> answered = new CompletableFuture<>();
        if (!refusedWhileCallbacksBehind(message, storedStage, answered)) {
            append(message, new Waiter(answered, true), storedStage, false);
        }
        return new Delivery(storedStage, answered);
    }

    @Override
    public CompletableFuture<Response> sendForAnswer(OutboxMessage message) {
        CompletableFuture<Response> answered = new CompletableFuture<>();
        if (!refusedWhileCallbacksBehind(message, null, answered)) {
            append(message, new Waiter(answered, false), null, false);
        }
        return answered;
    }

    /**
     * A caller's stages are completed on the callback lane: while it is far behind (user code blocks it), no new ones
     * are made, so that its queue stays bounded; the refusal completes them here, off that lane.
     */
    private boolean refusedWhileCallbacksBehind(OutboxMessage message, CompletableFuture<Void> storedStage,
            CompletableFuture<Response> answered) {
        if (!callers.behind()) {
            return false;
        }
        ledger.offered();
        ledger.refused(Refusal.CALLBACKS_BLOCKED);
        ConnectorException e = new ConnectorException(Reason.REFUSED, "the " + what(message) + " was not stored: "
                + callers.behindText());
        if (storedStage != null) {
            storedStage.completeExceptionally(e);
        }
        answered.completeExceptionally(e);
        return true;
    }

    /**
     * As {@link #sendForAnswer}; when the lane is idle and the outbox never blocks ({@link Outbox#isNonBlocking()}:
     * memory), the calling thread (which waits for the answer anyway, or is the client's own) does the lane's work:
     * appends, sends and returns. Any other outbox is only ever called on the lane.
     */
    @Override
    public CompletableFuture<Response> sendAwaited(OutboxMessage message) {
        CompletableFuture<Response> answered = new CompletableFuture<>();
        Outbox ob = outbox;
        append(message, new Waiter(answered, false), null, ob != null && ob.isNonBlocking());
        return answered;
    }

    /** Hands the message to the lane, which appends it: every outbox operation runs there, in order. */
    private void append(OutboxMessage message, Waiter waiter, CompletableFuture<Void> storedStage, boolean here) {
        ledger.offered();
        if (closed) {
            refuse(waiter, storedStage, Refusal.CLOSED, new ConnectorException(Reason.CLOSED, "client is closed: the "
                    + what(message) + " was not stored"));
            return;
        }
        if (!backlog.tryAdd(message)) {
            refuse(waiter, storedStage, Refusal.BACKLOG, new ConnectorException(Reason.REFUSED, "the " + what(message)
                    + " was not stored: " + backlog.fullText()));
            return;
        }
        toAppend.add(new ToAppend(message, waiter, storedStage));
        if (here) {
            workHereOrQueue();
        } else {
            queueWork();
        }
    }

    private void refuse(Waiter waiter, CompletableFuture<Void> storedStage, Refusal why, ConnectorException e) {
        ledger.refused(why);
        if (storedStage != null) {
            callers.fail(storedStage, e);
        }
        waiter.complete(callers, null, e);
    }

    @Override
    public void connected() {
        onLane(() -> {
            cursor.rewind();
            drain();
        });
    }

    @Override
    public void sweep() {
        if (stalled) {
            stalled = false;
            onLane(this::drain);
        }
    }

    /**
     * Switches to another outbox. What the old one holds: a non-durable outbox's pending messages move into the new
     * one (their callers keep waiting; a message on its way is settled by its answer, not sent again); a durable
     * one keeps them for its next open, and their callers are told so ({@code CLOSED}). The old outbox is not closed
     * (its owner does that).
     */
    public void useOutbox(Outbox next) {
        Objects.requireNonNull(next, "next must not be null");
        onLane(() -> {
            Outbox from = outbox;
            if (from == next || closed) {
                return;
            }
            OutboxUse fromUse = use;
            OutboxUse nextUse = take(next);
            if (from == null) {
                drain();
                return;
            }
            settler.forget(from);
            if (from.isDurable()) {
                stopListening(from);
                waiters.failAll(from, new ConnectorException(Reason.CLOSED, "the outbox was replaced by " + next
                        + "; " + from + " keeps the message for its next open"));
            } else {
                // still listening to the old one: a message it expires meanwhile is counted and its caller told
                new OutboxMove(from, next, BATCH).run((old, copy) -> {
                    fromUse.movedTo(nextUse);
                    moved(new MessageKey(from, old.id()), new MessageKey(next, copy.id()));
                }, (old, why) -> waiters.finish(new MessageKey(from, old.id()), null, new ConnectorException(
                        Reason.REFUSED, "the new outbox " + next + " refused a message moved from " + from + ": "
                                + why.getMessage(), why)));
                stopListening(from);
            }
            cursor.rewind();
            drain();
        });
    }

    /**
     * Takes {@code next} into use (lane, or the constructor): a new use in the ledger, which counts what it holds; its
     * removals are heard from before that is read (a removal after the read is counted once, as it should).
     */
    private OutboxUse take(Outbox next) {
        OutboxUse taken = ledger.begin(next);
        listenTo(next, taken);
        try {
            taken.recovered(next.status().depth());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot read the status of the outbox " + next
                    + " (what it holds is not in the loss ledger): " + e.getMessage());
        }
        use = taken;
        outbox = next;
        return taken;
    }

    @Override
    public OutboxStatus status() {
        Outbox ob = outbox;
        return ob == null ? null : ob.status();
    }

    @Override
    public DeliveryLedger ledger(OutboxStatus now) {
        return ledger.snapshot(now == null ? ledger.expectedPending() : now.depth());
    }

    @Override
    public OutboxFlow flow() {
        return outbox == null ? null : watch.flow();
    }

    /** Samples the flow and audits the ledger on the lane; one sample at a time, however long the lane is held up. */
    @Override
    public void sample() {
        if (sampleQueued.compareAndSet(false, true)) {
            onLane(() -> {
                sampleQueued.set(false);
                Outbox ob = outbox;
                if (ob != null && !closed) {
                    boolean quiet = toAppend.isEmpty() && stored.isEmpty() && answers.isEmpty()
                            && waiters.allRegistered();
                    watch.sample(ob, use, quiet);
                }
            });
        }
    }

    /** @return the outbox in use */
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() {
        closed = true;
        onLane(() -> {
            waiters.failAll(null, new ConnectorException(Reason.CLOSED, "client closed before the platform answered; "
                    + "a durable outbox keeps the message"));
            for (Outbox o : List.copyOf(removalListeners.keySet())) {
                stopListening(o);
            }
        });
    }

    /** Queues a lane task; if the lane is gone (the client closed), runs it here. */
    private void onLane(Runnable task) {
        try {
            lane.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private void queueWork() {
        if (workQueued.compareAndSet(false, true)) {
            onLane(this::work);
        }
    }

    /**
     * As {@link #queueWork}, but on this thread if the lane is idle: for a thread that waits anyway or is the client's
     * own, and only with an outbox whose operations never block ({@link Outbox#isNonBlocking()}), so that the
     * interactive paths (a blocking call, a command's answer, the answer that settles them) are not handed between
     * threads.
     */
    private void workHereOrQueue() {
        if (workQueued.compareAndSet(false, true) && !lane.runHereIfIdle(this::work)) {
            onLane(this::work);
        }
    }

    // ---- the lane ---------------------------------------------------------------------------------------------

    /** Appends what callers handed over, registers what was stored, handles what was answered, then sends. */
    private void work() {
        workQueued.set(false); // first: what is queued from now on queues another round
        for (ToAppend a; (a = toAppend.poll()) != null;) {
            appendNow(a);
        }
        for (Stored s; (s = stored.poll()) != null;) {
            register(s.key(), s.waiter(), true);
        }
        for (Answered a; (a = answers.poll()) != null;) {
            answered(a);
        }
        waiters.forgetOldEarlyAnswers();
        drain();
    }

    private void appendNow(ToAppend a) {
        Outbox target = outbox;
        OutboxUse into = use;
        if (closed || target == null) {
            backlog.removed(a.message());
        }
        if (closed) {
            refuse(a.waiter(), a.stored(), Refusal.CLOSED, new ConnectorException(Reason.CLOSED, "client is closed: "
                    + "the " + what(a.message()) + " was not stored"));
            return;
        }
        if (target == null) {
            refuse(a.waiter(), a.stored(), Refusal.NO_OUTBOX, new ConnectorException(Reason.REFUSED, "no outbox: the "
                    + what(a.message()) + " was not stored (in OSGi: no Outbox service is running, e.g. "
                    + "connector.store.memory)"));
            return;
        }
        CompletableFuture<OutboxEntry> appended;
        try {
            appended = target.append(a.message()).toCompletableFuture();
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        if (appended.isDone()) {
            stored(target, into, a, appended, false); // memory: stored now, registered before any drain can send it
        } else {
            waiters.registrationExpected();
            CompletableFuture<OutboxEntry> later = appended;
            later.whenComplete((entry, error) -> stored(target, into, a, later, true));
        }
    }

    /** An append completed: on the lane, or (later) on the outbox's writer thread. */
    private void stored(Outbox target, OutboxUse into, ToAppend a, CompletableFuture<OutboxEntry> appended,
            boolean later) {
        backlog.removed(a.message()); // its outcome is known: it waits no more
        OutboxEntry entry;
        try {
            entry = appended.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            if (later) {
                onLane(waiters::registrationCancelled);
            }
            Throwable cause = unwrap(e);
            refuse(a.waiter(), a.stored(), refusal(cause), new ConnectorException(Reason.REFUSED, "the "
                    + what(a.message()) + " was not stored: " + cause.getMessage(), cause));
            return;
        }
        into.stored();
        if (a.stored() != null) {
            callers.complete(a.stored(), null);
        }
        MessageKey key = new MessageKey(target, entry.id());
        if (later) {
            stored.add(new Stored(key, a.waiter()));
            queueWork();
        } else {
            register(key, a.waiter(), false);
        }
    }

    private void register(MessageKey key, Waiter waiter, boolean expected) {
        if (key.outbox() != outbox) {
            // a durable outbox replaced while the append was on its way: it keeps the message for its next open
            if (expected) {
                waiters.registrationCancelled();
            }
            waiter.complete(callers, null, new ConnectorException(Reason.CLOSED, "the outbox was replaced by "
                    + outbox + "; " + key.outbox() + " keeps the message for its next open"));
            return;
        }
        cursor.registered(key.outbox(), key.id());
        waiters.register(key, waiter, expected);
    }

    /** Sends, in accepted order, what the outbox holds and the current link has not had yet, while there is room. */
    private void drain() {
        Channel channel = readyChannel.get();
        Outbox ob = outbox;
        if (channel == null || ob == null || closed || !cursor.mustRead(channel, ob, waiters.allRegistered())) {
            return; // not ready, or everything stored was sent: no read (a drain follows every answer)
        }
        while (true) {
            List<OutboxEntry> batch;
            try {
                batch = ob.pending(cursor.position(), BATCH);
            } catch (RuntimeException e) {
                readTrouble.warn("Cannot read the outbox " + ob + " (tried again at the next answer or retry): "
                        + e.getMessage());
                return;
            }
            if (batch.isEmpty()) {
                cursor.exhausted();
                return;
            }
            for (OutboxEntry e : batch) {
                MessageKey key = new MessageKey(ob, e.id());
                if (inFlight.isOn(key, channel) || settler.waiting(key)) { // on this link, or answered already
                    cursor.passed(e.id());
                    continue;
                }
                if (e.message().kind() == OutboxMessage.Kind.EVENT && !pacer.mayGoNow()) {
                    return;
                }
                String handler = e.message().kind() == OutboxMessage.Kind.EVENT ? "event" : "response";
                CompletableFuture<Response> result = tracker.trySend(channel, handler,
                        token -> FrameTemplate.withToken(e.message().payload(), token), requestTimeout);
                if (result.isCompletedExceptionally()) {
                    stalled = true; // only a full window fails at once: an answer or the sweep drains again
                    return;
                }
                inFlight.sent(key, channel);
                cursor.passed(e.id());
                Waiter waiting = waiters.ownWaiter(key);
                boolean settleHere = ob.isNonBlocking();
                result.whenComplete((response, error) -> {
                    answers.add(new Answered(key, channel, response, error));
                    if (settleHere) {
                        workHereOrQueue(); // settling in memory never blocks: on the transport's thread if idle
                    } else {
                        queueWork();
                    }
                    if (waiting != null && error == null && response.status() < 500) {
                        // a final answer: the client's own waiter (a blocking call, a handler's answer) learns it
                        // here, on the transport's thread, not after the lane has settled the message; the settlement
                        // is queued first, so whatever the waiter does next on the lane (a swap) comes after it
                        waiting.answered().complete(response);
                    }
                });
            }
        }
    }

    /** The rate limit has a token again. */
    private void paced() {
        pacer.woken();
        drain();
    }

    /** A message now lives in another outbox: its waiter, and if it is on its way, its answer, follow it. */
    private void moved(MessageKey from, MessageKey to) {
        waiters.moved(from, to);
        inFlight.moved(from, to);
    }

    /** Settles a message by the platform's answer, or leaves it pending to be sent again. */
    private void answered(Answered sent) {
        MessageKey key = inFlight.answered(sent.key(), sent.channel());
        Answered a = key == sent.key() ? sent : new Answered(key, sent.channel(), sent.response(), sent.error());
        Reason reason = reason(a.error());
        if (a.error() == null && a.response().status() < 500) {
            settler.settle(a.key(),
                    a.response().isSuccess() ? Outbox.Settlement.DELIVERED : Outbox.Settlement.REJECTED);
            waiters.finish(a.key(), a.response(), null);
        } else if (a.error() != null && reason == null) {
            // not sent (could not encode it): it never can be; reject it so that it does not block the others
            settler.settle(a.key(), Outbox.Settlement.REJECTED);
            waiters.finish(a.key(), null, a.error());
        } else if ((a.error() == null || reason == Reason.TIMEOUT) && !retryScheduled) {
            retryScheduled = true; // 5xx or no answer: stays pending, sent again after a pause, not in a tight loop
            schedule(() -> {
                retryScheduled = false;
                cursor.rewind();
                drain();
            }, retryDelay.toNanos());
        }
        // CONNECTION_LOST / CLOSED: stays pending; the next synchronisation sends it again
    }

    private void schedule(Runnable onLane, long delayNanos) {
        try {
            timer.schedule(() -> onLane(onLane), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // the message stays in the outbox
        }
    }

    /** The outbox dropped or expired a message: its caller learns it will never be delivered. */
    private void removed(Outbox ob, OutboxEntry entry, OutboxListener.Reason why) {
        Reason reason = why == OutboxListener.Reason.DROPPED ? Reason.DROPPED : Reason.EXPIRED;
        String text = "the " + what(entry.message()) + " was " + (why == OutboxListener.Reason.DROPPED
                ? "dropped from the full outbox to make room" : "older than the outbox's maximum age")
                + ": it will not be delivered";
        waiters.finish(new MessageKey(ob, entry.id()), null, new ConnectorException(reason, text));
    }

    private void listenTo(Outbox ob, OutboxUse counted) {
        OutboxListener l = (entry, why) -> {
            counted.removed(why);
            onLane(() -> removed(ob, entry, why));
        };
        removalListeners.put(ob, l);
        ob.addListener(l);
    }

    private void stopListening(Outbox ob) {
        OutboxListener l = removalListeners.remove(ob);
        if (l != null) {
            ob.removeListener(l);
        }
    }

    private static Refusal refusal(Throwable cause) {
        if (cause instanceof OutboxRefusedException r) {
            return switch (r.reason()) {
                case FULL -> Refusal.FULL;
                case TOO_LARGE -> Refusal.TOO_LARGE;
                case CLOSED -> Refusal.CLOSED;
                case STORE_FAILED -> Refusal.STORE_FAILED;
                case DISK_FULL -> Refusal.DISK_FULL;
            };
        }
        return Refusal.STORE_FAILED; // the outbox failed otherwise: nothing was stored
    }

    private static Reason reason(Throwable error) {
        Throwable t = error == null ? null : unwrap(error);
        return t instanceof ConnectorException ce ? ce.reason() : null;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String what(OutboxMessage m) {
        return (m.kind() == OutboxMessage.Kind.EVENT ? "event " : "answer ") + m.serviceId() + " of device " + m.deviceId();
    }
}
