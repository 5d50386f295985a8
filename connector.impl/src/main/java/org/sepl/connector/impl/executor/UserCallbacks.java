package org.sepl.connector.impl.executor;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Completes callers' stages on the client's callback lane, so that a caller's dependent actions (its
 * {@code thenApply}, {@code whenComplete}) run there and nowhere else: never on a network thread, never on the lane
 * that sends or settles. Completions are queued and one task completes what is queued, in order: a burst of answers
 * costs one hand-off, not one per answer. If the lane is gone (the client closed) they complete on the caller.
 */
public final class UserCallbacks {

    /** Completions by one task before it lets the lane's other tasks (listener calls) run. */
    static final int COMPLETIONS_PER_TASK = 1024;

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
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public UserCallbacks(Executor lane) {
        this.lane = lane;
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
