package org.sepl.connector.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Response;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.store.memory.InMemoryOutbox;

/** Answers that come before their message's registration are kept only while they can still be claimed. */
class OutboxWaitersBoundTest {

    private final OutboxWaiters waiters = new OutboxWaiters(new UserCallbacks(Runnable::run));
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private static final Response OK = new Response(200, "text/plain", "ok");

    @Test
    void earlyAnswersNobodyCanClaimAreForgottenOnceNoRegistrationIsExpected() {
        waiters.registrationExpected();
        for (long id = 1; id <= 200; id++) { // answers to messages stored before a restart: nobody waits for them
            waiters.finish(new MessageKey(outbox, id), OK, null);
        }
        waiters.finish(new MessageKey(outbox, 500), OK, null); // the one the expected registration is for
        assertEquals(201, waiters.earlyAnswers());

        CompletableFuture<Response> answered = new CompletableFuture<>();
        waiters.register(new MessageKey(outbox, 500), new Waiter(answered, false), true);
        assertEquals(OK, answered.getNow(null), "the early answer is its waiter's");
        assertEquals(0, waiters.earlyAnswers(), "no registration to come: none can be claimed");
        assertTrue(waiters.allRegistered());
    }

    @Test
    void atMostTheBoundIsKeptTheOldestForgottenFirst() {
        waiters.registrationExpected();
        for (long id = 1; id <= OutboxWaiters.EARLY_ANSWERS_MAX + 10; id++) {
            waiters.finish(new MessageKey(outbox, id), OK, null);
        }
        assertEquals(OutboxWaiters.EARLY_ANSWERS_MAX, waiters.earlyAnswers());
        CompletableFuture<Response> newest = new CompletableFuture<>();
        waiters.register(new MessageKey(outbox, OutboxWaiters.EARLY_ANSWERS_MAX + 10), new Waiter(newest, false),
                true);
        assertEquals(OK, newest.getNow(null));
    }
}
