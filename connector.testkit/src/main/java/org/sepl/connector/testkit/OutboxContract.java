package org.sepl.connector.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.outbox.FullPolicy;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.Outbox.Settlement;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxRefusedException;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.api.outbox.RefusalReason;

/**
 * The {@link Outbox} contract, for every implementation: extend it and make {@link #outbox}. Shipped in this
 * module's test jar; connector.store.sqlite runs it on its outbox. Time is the test's {@link #clock}.
 */
public abstract class OutboxContract {

    protected static final Duration WAIT = Duration.ofSeconds(30);

    /** The clock every outbox of a test reads; tests move it. */
    protected final MovableClock clock = MovableClock.at(Instant.parse("2026-11-24T08:00:00Z"));

    /** A new, empty outbox with these limits, reading time from {@code clock}; closed by the subclass after the test. */
    protected abstract Outbox outbox(OutboxLimits limits, Clock clock) throws Exception;

    protected Outbox outbox() throws Exception {
        return outbox(OutboxLimits.DEFAULT, clock);
    }

    protected static OutboxMessage event(String device, int n) {
        return OutboxMessage.event(device, "measure", "{\"n\":" + n + "}");
    }

    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    protected static OutboxRefusedException refusal(CompletionStage<?> stage) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(OutboxRefusedException.class, e.getCause());
    }

    protected static List<String> payloads(List<OutboxEntry> entries) {
        return entries.stream().map(e -> e.message().payload()).collect(Collectors.toList());
    }

    protected static List<Long> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::id).collect(Collectors.toList());
    }

    /** Listener that keeps what it is told. */
    protected static final class Removals implements OutboxListener {
        public final List<Map.Entry<OutboxEntry, Reason>> seen = new CopyOnWriteArrayList<>();

        @Override
        public void removed(OutboxEntry entry, Reason reason) {
            seen.add(Map.entry(entry, reason));
        }

        public List<String> payloads(Reason reason) {
            return seen.stream().filter(e -> e.getValue() == reason).map(e -> e.getKey().message().payload())
                    .collect(Collectors.toList());
        }
    }

    // ---- storing and order ---------------------------------------------------------------------------------------

    @Test
    void anAppendedMessageIsPendingWithAnIdAndTheTimeItWasAccepted() throws Exception {
        Outbox o = outbox();
        OutboxMessage m = OutboxMessage.response("lamp-1", "switch", "{\"status\":200}");
        OutboxEntry stored = await(o.append(m));
        assertEquals(m, stored.message());
        assertEquals(clock.instant(), stored.acceptedAt());
        assertEquals(List.of(stored), o.pending(0, 10));
        OutboxStatus s = o.status();
        assertEquals(1, s.depth());
        assertEquals(m.size(), s.bytes());
        assertEquals(1, s.stored());
    }

    @Test
    void pendingIsInAcceptedOrderAcrossAndPerDeviceAndPagesOnAfterAnId() throws Exception {
        Outbox o = outbox();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            OutboxMessage m = event("device-" + i % 3, i);
            accepted.add(m.payload());
            await(o.append(m));
        }
        List<OutboxEntry> all = o.pending(0, 100);
        assertEquals(accepted, payloads(all));
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).id() < all.get(i).id(), "ids increase in accepted order");
        }
        List<OutboxEntry> first = o.pending(0, 10);
        List<OutboxEntry> second = o.pending(first.get(9).id(), 10);
        assertEquals(all.subList(0, 10), first);
        assertEquals(all.subList(10, 20), second);
        assertEquals(List.of(), o.pending(all.get(29).id(), 10));
    }

    @Test
    void concurrentAppendsAreAllStoredWithUniqueIdsAndEachCallersOrderKept() throws Exception {
        Outbox o = outbox();
        int threads = 4;
        int each = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<OutboxEntry>>>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String device = "device-" + t;
                work.add(pool.submit(() -> {
                    List<CompletableFuture<OutboxEntry>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(o.append(event(device, i)).toCompletableFuture());
                    }
                    return mine;
                }));
            }
            Set<Long> unique = new HashSet<>();
            for (Future<List<CompletableFuture<OutboxEntry>>> f : work) {
                long previous = 0;
                for (CompletableFuture<OutboxEntry> stored : f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    long id = await(stored).id();
                    assertTrue(id > previous, "a caller's appends are stored in its order");
                    previous = id;
                    unique.add(id);
                }
            }
            assertEquals(threads * each, unique.size());
            List<OutboxEntry> pending = o.pending(0, threads * each);
            assertEquals(threads * each, pending.size());
            for (int t = 0; t < threads; t++) {
                String device = "device-" + t;
                List<String> perDevice = pending.stream().filter(e -> e.message().deviceId().equals(device))
                        .map(e -> e.message().payload()).collect(Collectors.toList());
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    expected.add(event(device, i).payload());
                }
                assertEquals(expected, perDevice, "order per device");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- settling ------------------------------------------------------------------------------------------------

    @Test
    void aDeliveredMessageIsGoneAndCounted() throws Exception {
        Outbox o = outbox();
        OutboxEntry a = await(o.append(event("d", 1)));
        OutboxEntry b = await(o.append(event("d", 2)));
        assertTrue(await(o.settle(a.id(), Settlement.DELIVERED)));
        assertEquals(List.of(b), o.pending(0, 10));
        assertFalse(await(o.settle(a.id(), Settlement.DELIVERED)), "already settled");
        assertFalse(await(o.settle(12345, Settlement.DELIVERED)), "unknown id");
        OutboxStatus s = o.status();
        assertEquals(1, s.delivered());
        assertEquals(1, s.depth());
        assertEquals(b.message().size(), s.bytes());
    }

    @Test
    void aFinalErrorAnswerRemovesTheMessageItIsNotRetried() throws Exception {
        Outbox o = outbox();
        OutboxEntry rejected = await(o.append(event("d", 1)));
        OutboxEntry next = await(o.append(event("d", 2)));
        assertTrue(await(o.settle(rejected.id(), Settlement.REJECTED)));
        assertEquals(List.of(next), o.pending(0, 10), "a 4xx is final: not read again for a resend");
        OutboxStatus s = o.status();
        assertEquals(1, s.rejected());
        assertEquals(0, s.delivered());
    }

    @Test
    void aMessageSentButNotAnsweredIsReadAgainForTheNextReplay() throws Exception {
        Outbox o = outbox();
        for (int i = 0; i < 5; i++) {
            await(o.append(event("d", i)));
        }
        List<OutboxEntry> sent = o.pending(0, 5); // on the wire when the link dropped; only the first answered
        await(o.settle(sent.get(0).id(), Settlement.DELIVERED));
        assertEquals(sent.subList(1, 5), o.pending(0, 10), "replayed, in order, from the oldest unanswered");
    }

    // ---- limits --------------------------------------------------------------------------------------------------

    @Test
    void refuseNewWhenFullByCountKeepsWhatIsStoredAndSaysWhy() throws Exception {
        Outbox o = outbox(OutboxLimits.DEFAULT.withMaxMessages(3).withFullPolicy(FullPolicy.REFUSE_NEW), clock);
        Removals removals = new Removals();
        o.addListener(removals);
        for (int i = 0; i < 3; i++) {
            await(o.append(event("d", i)));
        }
        OutboxRefusedException e = refusal(o.append(event("d", 3)));
        assertEquals(RefusalReason.FULL, e.reason());
        assertTrue(e.getMessage().contains("max.messages=3"), e.getMessage());
        assertEquals(List.of(event("d", 0).payload(), event("d", 1).payload(), event("d", 2).payload()),
                payloads(o.pending(0, 10)));
        assertEquals(1, o.status().refused());
        assertEquals(0, o.status().dropped());
        assertEquals(List.of(), removals.seen);
        OutboxEntry first = o.pending(0, 1).get(0);
        await(o.settle(first.id(), Settlement.DELIVERED));
        await(o.append(event("d", 4))); // room again
        assertEquals(3, o.status().depth());
    }

    @Test
    void refuseNewWhenFullByBytes() throws Exception {
        long size = event("d", 0).size();
        Outbox o = outbox(OutboxLimits.DEFAULT.withMaxBytes(2 * size).withFullPolicy(FullPolicy.REFUSE_NEW), clock);
        await(o.append(event("d", 0)));
        await(o.append(event("d", 1)));
        OutboxRefusedException e = refusal(o.append(event("d", 2)));
        assertEquals(RefusalReason.FULL, e.reason());
        assertTrue(e.getMessage().contains("max.bytes=" + 2 * size), e.getMessage());
        assertEquals(2 * size, o.status().bytes());
    }

    @Test
    void dropOldestWhenFullByCountStoresTheNewAndReportsEachDropped() throws Exception {
        Outbox o = outbox(OutboxLimits.DEFAULT.withMaxMessages(3).withFullPolicy(FullPolicy.DROP_OLDEST), clock);
        Removals removals = new Removals();
        o.addListener(removals);
        for (int i = 0; i < 5; i++) {
            await(o.append(event("d", i)));
        }
        assertEquals(List.of(event("d", 2).payload(), event("d", 3).payload(), event("d", 4).payload()),
                payloads(o.pending(0, 10)));
        assertEquals(List.of(event("d", 0).payload(), event("d", 1).payload()),
                removals.payloads(OutboxListener.Reason.DROPPED));
        OutboxStatus s = o.status();
        assertEquals(2, s.dropped());
        assertEquals(5, s.stored());
        assertEquals(0, s.refused());
        assertEquals(3, s.depth());
    }

    @Test
    void dropOldestWhenFullByBytesDropsAsManyAsNeeded() throws Exception {
        OutboxMessage small = OutboxMessage.event("d", "s", "x");
        OutboxMessage big = OutboxMessage.event("d", "s", "x".repeat(20));
        Outbox o = outbox(OutboxLimits.DEFAULT.withMaxBytes(3 * small.size() + big.size() - 1)
                .withFullPolicy(FullPolicy.DROP_OLDEST), clock);
        Removals removals = new Removals();
        o.addListener(removals);
        for (int i = 0; i < 3; i++) {
            await(o.append(small));
        }
        await(o.append(big));
        assertEquals(1, removals.seen.size(), "one small one dropped to make room");
        assertEquals(2 * small.size() + big.size(), o.status().bytes());
        assertEquals(1, o.status().dropped());
    }

    @Test
    void aMessageLargerThanTheOutboxIsRefusedWhateverThePolicy() throws Exception {
        for (FullPolicy policy : FullPolicy.values()) {
            Outbox o = outbox(OutboxLimits.DEFAULT.withMaxBytes(10).withFullPolicy(policy), clock);
            await(o.append(OutboxMessage.event("d", "s", "x")));
            OutboxRefusedException e = refusal(o.append(OutboxMessage.event("d", "s", "x".repeat(20))));
            assertEquals(RefusalReason.TOO_LARGE, e.reason(), policy.toString());
            assertEquals(1, o.status().depth(), "nothing dropped for it: " + policy);
            assertEquals(1, o.status().refused());
        }
    }

    @Test
    void aMessageOlderThanTheMaximumAgeExpiresIsCountedAndReported() throws Exception {
        Outbox o = outbox(OutboxLimits.DEFAULT.withMaxAge(Duration.ofMinutes(5)), clock);
        Removals removals = new Removals();
        o.addListener(removals);
        await(o.append(event("d", 0)));
        await(o.append(event("d", 1)));
        clock.advance(Duration.ofMinutes(3));
        OutboxEntry young = await(o.append(event("d", 2)));
        assertEquals(Duration.ofMinutes(3), o.status().oldestAge());
        clock.advance(Duration.ofMinutes(2).plusSeconds(1)); // the first two are 5 min 1 s old
        assertEquals(List.of(young), o.pending(0, 10));
        OutboxStatus s = o.status();
        assertEquals(2, s.expired());
        assertEquals(1, s.depth());
        assertEquals(Duration.ofSeconds(121), s.oldestAge());
        assertEquals(List.of(event("d", 0).payload(), event("d", 1).payload()),
                removals.payloads(OutboxListener.Reason.EXPIRED));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(0, o.status().depth());
        assertEquals(Duration.ZERO, o.status().oldestAge());
        assertEquals(3, o.status().expired());
    }

    @Test
    void expiredMessagesDoNotCountAgainstTheCapacity() throws Exception {
        Outbox o = outbox(OutboxLimits.DEFAULT.withMaxMessages(2).withMaxAge(Duration.ofMinutes(1)), clock);
        await(o.append(event("d", 0)));
        await(o.append(event("d", 1)));
        clock.advance(Duration.ofMinutes(2));
        await(o.append(event("d", 2))); // REFUSE_NEW, but the two old ones expired
        assertEquals(List.of(event("d", 2).payload()), payloads(o.pending(0, 10)));
        assertEquals(2, o.status().expired());
    }

    // ---- closing and bad arguments -------------------------------------------------------------------------------

    @Test
    void aClosedOutboxRefusesNewMessages() throws Exception {
        Outbox o = outbox();
        await(o.append(event("d", 0)));
        o.close();
        o.close(); // idempotent
        assertEquals(RefusalReason.CLOSED, refusal(o.append(event("d", 1))).reason());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> o.settle(1, Settlement.DELIVERED).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        Outbox o = outbox();
        assertTrue(assertThrows(NullPointerException.class, () -> o.append(null)).getMessage().contains("message"));
        assertTrue(assertThrows(NullPointerException.class, () -> o.settle(1, null)).getMessage().contains("settlement"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.pending(0, 0)).getMessage().contains("max"));
        assertTrue(assertThrows(NullPointerException.class, () -> OutboxMessage.event(null, "s", "p")).getMessage()
                .contains("deviceId"));
    }
}
