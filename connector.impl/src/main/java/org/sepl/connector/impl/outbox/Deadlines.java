package org.sepl.connector.impl.outbox;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Response;

/**
 * The timeouts of {@code eventAsync}/{@code respondAsync} over the outbox: the caller's stage fails with
 * {@code TIMEOUT} when no answer came in time, while the message itself stays stored and is still delivered. One
 * sweep over a queue in call order instead of a timer task per message: a deadline is checked once those of earlier
 * calls passed or were answered, so with mixed timeouts a short one may fire as late as an earlier, longer one.
 */
public final class Deadlines {

    private record Timed(long deadlineNanos, Duration timeout, String what, CompletableFuture<Response> result) {
    }

    private final Queue<Timed> queue = new ConcurrentLinkedQueue<>();

    /** @return a stage with {@code answered}'s outcome, or {@code TIMEOUT} after {@code timeout} */
    public CompletableFuture<Response> within(CompletionStage<Response> answered, Duration timeout, String what) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        answered.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        });
        if (!result.isDone()) {
            queue.add(new Timed(System.nanoTime() + timeout.toNanos(), timeout, what, result));
        }
        return result;
    }

    /** Fails the stages whose deadline passed (the client's periodic sweep). */
    public void sweep() {
        long now = System.nanoTime();
        for (Timed t; (t = queue.peek()) != null;) {
            if (!t.result().isDone() && now - t.deadlineNanos() < 0) {
                return;
            }
            queue.poll();
            if (!t.result().isDone()) {
                t.result().completeExceptionally(new ConnectorException(Reason.TIMEOUT, "no answer to the " + t.what()
                        + " within " + t.timeout() + "; it stays in the outbox and is still delivered"));
            }
        }
    }

    /** Forgets the deadlines (closing: the stages are failed by the sender). */
    public void closeAll() {
        queue.clear();
    }
}
