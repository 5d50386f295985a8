package org.sepl.connector.impl.executor;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Completes callers' stages on the client's callback lane, so that a caller's dependent actions (its
 * {@code thenApply}, {@code whenComplete}) run there and nowhere else: never on a network thread, never on the lane
 * that sends or settles. Completions are queued and one task completes what is queued, in order: a burst of answers
 * costs one hand-off, not one per answer. If the lane is gone (the client closed) they complete on the caller.
 * <p>
 * <b>Bound.</b> User code that blocks the lane (a continuation or listener that never returns) stops its queue from
 * draining. The client then makes no new caller stages ({@link #behind()}: its send paths refuse at once): while
 * {@value #STALLED_BACKLOG} completions wait and none was done for {@link #STALL_NANOS} ns, or
 * {@value #MAX_BACKLOG} wait at all. Outcomes of stages already handed out still queue: at most two per message
 * the outbox holds or the window has in flight.
 */
public final class UserCallbacks {

    /** Completions by one task before it lets the lane's other tasks (listener calls) run. */
    static final int COMPLETIONS_PER_TASK = 1024;
    /** Waiting completions that, with no progress for {@link #STALL_NANOS}, mean user code blocks the lane. */
    static final int STALLED_BACKLOG = 10_000;
    /** No progress for this long (5 s: longer than a GC pause or a starved CPU holds the lane up). */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Waiting completions beyond which no new stage is made even while the lane moves (a producer far faster). */
    static final int MAX_BACKLOG = 1_000_000;

    private record Completion(CompletableFuture<Object> stage, Object value, Throwable error) {
        void run() {
            if (error == null) {
                stage.complete(value);
            } else {
                stage.completeExceptionally(error);
            }
        }
    }

    private final Executor lane;
    private final Queue<Completion> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final LongSupplier nanoTime;
    /** When the lane last completed something. */
    private volatile long progressNanos;

    public UserCallbacks(Executor lane) {
        this(lane, System::nanoTime);
    }

    UserCallbacks(Executor lane, LongSupplier nanoTime) {
        this.lane = lane;
        this.nanoTime = nanoTime;
        this.progressNanos = nanoTime.getAsLong();
    }

    /** @return whether the lane is too far behind to take new caller stages (see the class comment) */
    public boolean behind() {
        int waiting = backlog.get();
        return waiting >= MAX_BACKLOG
                || waiting >= STALLED_BACKLOG && nanoTime.getAsLong() - progressNanos >= STALL_NANOS;
    }

    /** @return why nothing new is accepted while {@link #behind()}, for a caller */
    public String behindText() {
        return backlog.get() + " outcomes wait for the client's callback lane, which a CompletionStage continuation or "
                + "a ConnectionListener blocks (no progress for "
                + TimeUnit.NANOSECONDS.toSeconds(Math.max(0, nanoTime.getAsLong() - progressNanos)) + " s)";
    }

    /** Completes a caller's stage with {@code value}, on the callback lane. */
    @SuppressWarnings("unchecked")
    public <T> void complete(CompletableFuture<T> stage, T value) {
        queue(new Completion((CompletableFuture<Object>) stage, value, null));
    }

    /** Fails a caller's stage, on the callback lane. */
    @SuppressWarnings("unchecked")
    public void fail(CompletableFuture<?> stage, Throwable error) {
        queue(new Completion((CompletableFuture<Object>) stage, null, unwrap(error)));
    }

    /** @return a caller's stage with the outcome of an internal one, completed on the callback lane */
    public <T> CompletableFuture<T> relay(CompletionStage<T> internal) {
        CompletableFuture<T> done = internal.toCompletableFuture();
        if (done.isDone() && behind()) {
            return done.copy(); // an outcome known now (a refusal): not queued behind the blocked lane
        }
        CompletableFuture<T> stage = new CompletableFuture<>();
        internal.whenComplete((value, error) -> {
            if (error != null) {
                fail(stage, error);
            } else {
                complete(stage, value);
            }
        });
        return stage;
    }

    /** Runs a call of user code (a listener) on the callback lane, in order with the completions. */
    public void run(Runnable userCode) {
        try {
            lane.execute(userCode);
        } catch (RejectedExecutionException e) {
            // closed: listeners are not called any more
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private void queue(Completion c) {
        if (backlog.incrementAndGet() == 1) {
            progressNanos = nanoTime.getAsLong(); // idle until now: the wait starts here
        }
        queued.add(c);
        if (scheduled.compareAndSet(false, true)) {
            try {
                lane.execute(this::completeQueued);
            } catch (RejectedExecutionException e) {
                completeQueued(); // closed: nobody else will complete them
            }
        }
    }

    private void completeQueued() {
        while (true) {
            int n = 0;
            for (Completion c; (c = queued.poll()) != null;) {
                backlog.decrementAndGet();
                if ((n & 31) == 0) {
                    progressNanos = nanoTime.getAsLong(); // a continuation that blocks stops this
                }
                c.run();
                if (++n == COMPLETIONS_PER_TASK && !queued.isEmpty()) {
                    try {
                        lane.execute(this::completeQueued);
                        return;
                    } catch (RejectedExecutionException e) {
                        n = 0; // closed: finish here
                    }
                }
            }
            scheduled.set(false);
            // a completion queued after the last poll but before the flag was cleared found it set: take it
            if (queued.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
