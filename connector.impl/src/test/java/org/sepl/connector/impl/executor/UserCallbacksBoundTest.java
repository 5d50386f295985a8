package org.sepl.connector.impl.executor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The callback lane's queue: when user code blocks the lane, the client stops making new caller stages. */
class UserCallbacksBoundTest {

    private final List<Runnable> laneTasks = new ArrayList<>(); // a lane whose thread user code holds: nothing runs
    private final AtomicLong now = new AtomicLong();
    private final UserCallbacks callers = new UserCallbacks(laneTasks::add, now::get);

    private void queue(int n) {
        for (int i = 0; i < n; i++) {
            callers.complete(new CompletableFuture<>(), "x");
        }
    }

    @Test
    void aLaneThatMakesNoProgressWithManyWaitingIsBehind() {
        queue(UserCallbacks.STALLED_BACKLOG);
        assertFalse(callers.behind(), "no time has passed: a burst is not a stall");
        now.addAndGet(UserCallbacks.STALL_NANOS - 1);
        assertFalse(callers.behind());
        now.addAndGet(1);
        assertTrue(callers.behind());
        assertTrue(callers.behindText().contains("10000 outcomes wait"), callers.behindText());
        assertTrue(callers.behindText().contains("no progress for 5 s"), callers.behindText());

        CompletableFuture<String> refused = CompletableFuture.failedFuture(new IllegalStateException("refused"));
        CompletableFuture<String> relayed = callers.relay(refused);
        assertTrue(relayed.isCompletedExceptionally(), "an outcome known now is not queued behind the blocked lane");
        assertNotSame(refused, relayed);

        for (int i = 0; i < laneTasks.size(); i++) { // the user's code returned: the lane catches up
            laneTasks.get(i).run();
        }
        assertFalse(callers.behind());
    }

    @Test
    void aFewWaitingOnAStalledLaneAreNotBehind() {
        queue(UserCallbacks.STALLED_BACKLOG - 1);
        now.addAndGet(TimeUnit.MINUTES.toNanos(10));
        assertFalse(callers.behind(), "below the backlog that counts");
    }

    @Test
    void aLaneIdleForLongIsNotStalledByTheFirstBurst() {
        now.addAndGet(TimeUnit.HOURS.toNanos(1)); // nothing to do for an hour
        queue(UserCallbacks.STALLED_BACKLOG);
        assertFalse(callers.behind(), "the wait starts with the first completion queued");
    }
}
