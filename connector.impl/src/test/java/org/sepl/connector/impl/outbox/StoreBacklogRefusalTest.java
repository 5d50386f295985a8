package org.sepl.connector.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.DeliveryLedger.Refusal;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.impl.Await;
import org.sepl.connector.impl.executor.SerialExecutor;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.store.memory.InMemoryOutbox;

/** While the outbox store hangs, what waits to be stored is bounded: one beyond is refused at once, and counted. */
class StoreBacklogRefusalTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch hanging = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        timer.shutdownNow();
        pool.shutdownNow();
    }

    @Test
    void beyondTheBacklogAnEventIsRefusedAtOnceAndNothingStoredIsLost() throws Exception {
        InMemoryOutbox stuck = new InMemoryOutbox() {
            @Override
            public CompletionStage<OutboxEntry> append(OutboxMessage message) {
                hanging.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS); // a disk that hangs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.append(message);
            }
        };
        OutboxSender sender = new OutboxSender(stuck, new RequestTracker(10, 3), () -> null,
                new SerialExecutor(pool, "outbox"), timer, new UserCallbacks(pool), Duration.ofSeconds(1),
                Duration.ofSeconds(1), null);
        OutboxMessage event = new OutboxMessage(OutboxMessage.Kind.EVENT, "meter-1", "reading", "{}");
        Delivery first = sender.send(event);
        assertTrue(hanging.await(10, TimeUnit.SECONDS), "the lane is in the store");
        for (long i = 1; i < AppendBacklog.MAX_MESSAGES; i++) {
            sender.send(event);
        }
        long before = System.nanoTime();
        Delivery refused = sender.send(event);
        ConnectorException e = assertInstanceOf(ConnectorException.class, assertThrows(CompletionException.class,
                () -> refused.stored().toCompletableFuture().join()).getCause());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before) < 5, "refused at once");
        assertEquals(Reason.REFUSED, e.reason());
        assertTrue(e.getMessage().contains("already wait for the outbox to store them"), e.getMessage());

        release.countDown();
        first.stored().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Await.until("all stored", () -> sender.status().depth() == AppendBacklog.MAX_MESSAGES);
        DeliveryLedger l = sender.ledger(sender.status());
        assertEquals(AppendBacklog.MAX_MESSAGES + 1, l.offered());
        assertEquals(1, l.refused(Refusal.BACKLOG));
        assertEquals(AppendBacklog.MAX_MESSAGES, l.stored());
        assertEquals(AppendBacklog.MAX_MESSAGES, l.pending());
        assertTrue(l.balanced(), l.toString());
        sender.close();
    }
}
