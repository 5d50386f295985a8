package org.sepl.connector.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Response;
import org.sepl.connector.impl.executor.UserCallbacks;

/** Calls answered behind a long deadline do not pile up in the deadline queue. */
class DeadlinesBoundTest {

    private static final Response OK = new Response(200, "text/plain", "ok");

    @Test
    void answeredCallsBehindALongDeadlineAreCleanedUp() {
        Deadlines deadlines = new Deadlines(new UserCallbacks(Runnable::run));
        CompletableFuture<Response> slow = new CompletableFuture<>();
        CompletableFuture<Response> slowResult = deadlines.within(slow, Duration.ofHours(1), "event");
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 10_000; i++) {
                CompletableFuture<Response> answer = new CompletableFuture<>();
                deadlines.within(answer, Duration.ofSeconds(5), "event");
                answer.complete(OK); // answered at once, but queued behind the hour-long one
            }
            deadlines.sweep();
            assertTrue(deadlines.watched() < Deadlines.COMPACT_AT, "round " + round + ": " + deadlines.watched());
        }
        assertEquals(1, deadlines.watched(), "only the call still waiting");
        assertFalse(slowResult.isDone(), "its deadline still stands");
        slow.complete(OK);
        assertEquals(OK, slowResult.join());
    }
}
