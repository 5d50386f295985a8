package org.sepl.connector.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.DeliveryLedger.Refusal;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.impl.executor.SerialExecutor;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.executor.UserCallbacksProbe;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.store.memory.InMemoryOutbox;

/**
 * While a caller's continuation blocks the callback lane, the outbox sender makes no new caller stages: it refuses
 * at once (counted in the ledger as {@code CALLBACKS_BLOCKED}), off that lane; the client's own waits still go.
 */
class CallbackBacklogRefusalTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Runnable> blockedLane = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final UserCallbacks callers = UserCallbacksProbe.over(blockedLane::add, now::get);
    private final SerialExecutor outboxLane = new SerialExecutor(Runnable::run, "outbox");
    private final OutboxSender sender = new OutboxSender(new InMemoryOutbox(), new RequestTracker(10, 3), () -> null,
            outboxLane, timer, callers, Duration.ofSeconds(1), Duration.ofSeconds(1), null);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static OutboxMessage event(int i) {
        return new OutboxMessage(OutboxMessage.Kind.EVENT, "meter-1", "reading", "{\"v\":" + i + "}");
    }

    @Test
    void newCallerStagesAreRefusedWhileTheCallbackLaneIsStalled() {
        for (int i = 0; i < 10_000; i++) { // each stored: its "stored" completion waits for the blocked lane
            sender.send(event(i));
        }
        now.addAndGet(Duration.ofSeconds(6).toNanos());

        Delivery refused = sender.send(event(-1));
        CompletableFuture<Response> refusedAsync = sender.sendForAnswer(event(-2));
        ConnectorException e = assertInstanceOf(ConnectorException.class, assertThrows(CompletionException.class,
                () -> refused.stored().toCompletableFuture().join()).getCause());
        assertEquals(Reason.REFUSED, e.reason());
        assertTrue(e.getMessage().contains("CompletionStage continuation or a ConnectionListener blocks"),
                e.getMessage());
        assertTrue(refusedAsync.isCompletedExceptionally(), "completed here, not on the blocked lane");

        CompletableFuture<Response> own = sender.sendAwaited(event(-3)); // a blocking event(): no caller stage
        DeliveryLedger l = sender.ledger(sender.status());
        assertEquals(10_003, l.offered());
        assertEquals(2, l.refused(Refusal.CALLBACKS_BLOCKED));
        assertEquals(10_001, l.stored(), "the client's own wait is not refused");
        assertEquals(10_001, l.pending());
        assertTrue(l.balanced(), l.toString());
        assertTrue(!own.isDone(), "waits for its answer");
    }
}
