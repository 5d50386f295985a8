package org.sepl.connector.impl.outbox;

import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Response;
import org.sepl.connector.impl.executor.UserCallbacks;

/**
 * The timeouts of {@code eventAsync}/{@code respondAsync} over the outbox: the caller's stage fails with
 * {@code TIMEOUT} when no answer came in time, while the message itself stays stored and is still delivered. One
 * sweep over a queue in call order instead of a timer task per message: a deadline is checked once those of earlier
 * calls passed or were answered, so with mixed timeouts a short one may fire as late as an earlier, longer one.
 * Callers' stages complete on the callback lane, the answer's and the timeout's alike.
 * <p>
 * <b>Bound.</b> Behind a long deadline, answered calls would wait in the queue until it passes; so once the queue
 * holds {@value #COMPACT_AT} entries and twice as many as after the last clean-up, the sweep removes the answered
 * ones. The queue thus holds at most about twice the calls still waiting for an answer (each a message in the outbox
 * or on its way to it), or {@value #COMPACT_AT}.
 */
public final class Deadlines {

    /** {@code answered}: the internal outcome (its completion is relayed to {@code result} on the callback lane). */
    private record Timed(long deadlineNanos, Duration timeout, String what, CompletableFuture<Response> answered,
            CompletableFuture<Response> result) {
    }

    /** Below this size the queue is never cleaned up: the sweep's head-first pass keeps it small. */
    static final int COMPACT_AT = 4096;

    private final Queue<Timed> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final UserCallbacks callers;
    /** The least size since the last clean-up (timer thread only). */
    private int sizeAfterCompaction;

    public Deadlines(UserCallbacks callers) {
        this.callers = callers;
    }

    /** @return a caller's stage with {@code answered}'s outcome, or {@code TIMEOUT} after {@code timeout} */
    public CompletableFuture<Response> within(CompletionStage<Response> answered, Duration timeout, String what) {
        CompletableFuture<Response> internal = answered.toCompletableFuture();
        CompletableFuture<Response> result = callers.relay(internal);
        if (!internal.isDone()) {
            size.incrementAndGet();
            queue.add(new Timed(System.nanoTime() + timeout.toNanos(), timeout, what, internal, result));
        }
        return result;
    }

    /** Fails the stages whose deadline passed (the client's periodic sweep). */
    public void sweep() {
        long now = System.nanoTime();
        for (Timed t; (t = queue.peek()) != null;) {
            if (!t.answered().isDone() && now - t.deadlineNanos() < 0) {
                break;
            }
            queue.poll();
            size.decrementAndGet();
            if (!t.answered().isDone()) {
                callers.fail(t.result(), new ConnectorException(Reason.TIMEOUT, "no answer to the " + t.what()
                        + " within " + t.timeout() + "; it stays in the outbox and is still delivered"));
            }
        }
        compactIfGrown();
    }

    /** Removes answered calls from behind a deadline still to come, when the queue has grown enough to be worth it. */
    private void compactIfGrown() {
        int n = size.get();
        sizeAfterCompaction = Math.min(sizeAfterCompaction, n); // the sweep's own pass shrank it
        if (n < COMPACT_AT || n < 2 * sizeAfterCompaction) {
            return;
        }
        for (Iterator<Timed> it = queue.iterator(); it.hasNext();) {
            if (it.next().answered().isDone()) {
                it.remove();
                size.decrementAndGet();
            }
        }
        sizeAfterCompaction = size.get();
    }

    /** @return calls whose deadline is watched (for tests of the bound) */
    int watched() {
        return size.get();
    }

    /** Forgets the deadlines (closing: the stages are failed by the sender). */
    public void closeAll() {
        queue.clear();
        size.set(0);
    }
}
