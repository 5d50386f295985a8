package org.sepl.connector.impl.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.DeliveryLedger.Refusal;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.store.memory.InMemoryOutbox;

/** The ledger's arithmetic: every line, swaps, and what balances. */
class LossLedgerTest {

    private final LossLedger ledger = new LossLedger();

    private void offerAndStore(OutboxUse use, int n) {
        for (int i = 0; i < n; i++) {
            ledger.offered();
            use.stored();
        }
    }

    @Test
    void everyLineIsCountedAndTheLedgerBalancesWithTheOutboxDepth() {
        OutboxUse use = ledger.begin(new InMemoryOutbox());
        use.recovered(5);
        offerAndStore(use, 20);
        ledger.offered();
        ledger.refused(Refusal.FULL);
        ledger.offered();
        ledger.refused(Refusal.TOO_LARGE);
        for (int i = 0; i < 12; i++) {
            use.settled(Outbox.Settlement.DELIVERED);
        }
        use.settled(Outbox.Settlement.REJECTED);
        use.removed(OutboxListener.Reason.DROPPED);
        use.removed(OutboxListener.Reason.DROPPED);
        use.removed(OutboxListener.Reason.EXPIRED);
        // 25 in, 16 out: the outbox holds 9
        assertEquals(9, ledger.expectedPending());

        DeliveryLedger l = ledger.snapshot(9);
        assertEquals(22, l.offered());
        assertEquals(2, l.refusedTotal());
        assertEquals(Map.of(Refusal.FULL, 1L, Refusal.TOO_LARGE, 1L), l.refused());
        assertEquals(1, l.refused(Refusal.FULL));
        assertEquals(0, l.refused(Refusal.BACKLOG));
        assertEquals(20, l.stored());
        assertEquals(5, l.recovered());
        assertEquals(12, l.delivered());
        assertEquals(1, l.rejected());
        assertEquals(2, l.dropped());
        assertEquals(1, l.expired());
        assertEquals(0, l.leftBehind());
        assertEquals(9, l.pending());
        assertTrue(l.balanced(), l.toString());
        assertEquals("offered 22 = refused 2 (full 1, too large 1) + stored 20; stored 20 + recovered 5 = delivered 12 "
                + "+ rejected 1 + dropped 2 + expired 1 + left behind 0 + unanswered 0 + pending 9", l.toString());
    }

    @Test
    void anOutboxHoldingOneMoreThanCountedIsOutOfBalance() {
        OutboxUse use = ledger.begin(new InMemoryOutbox());
        offerAndStore(use, 3);
        DeliveryLedger l = ledger.snapshot(4);
        assertFalse(l.balanced());
        assertEquals(1, l.outOfBalance());
        assertTrue(l.toString().endsWith("; off by 1 (on their way, or a defect if it lasts while idle)"), l.toString());

        ledger.offered(); // a call neither stored nor refused (yet)
        assertEquals(1, ledger.snapshot(3).outOfBalance());
    }

    @Test
    void aRetiredOutboxKeepsWhatItHoldsAsLeftBehindAndLateOutcomesStillCount() {
        Outbox durable = new InMemoryOutbox();
        OutboxUse first = ledger.begin(durable);
        first.recovered(2);
        offerAndStore(first, 10);
        first.settled(Outbox.Settlement.DELIVERED);

        OutboxUse second = ledger.begin(new InMemoryOutbox()); // the durable one keeps its 11
        assertEquals(11, ledger.snapshot(0).leftBehind());
        assertSame(first, ledger.useOf(durable), "outcomes of messages in the old outbox still find their use");
        assertSame(second, ledger.useOf(second.outbox));

        first.settled(Outbox.Settlement.DELIVERED); // a settlement that was being written during the swap
        offerAndStore(second, 4);
        DeliveryLedger l = ledger.snapshot(4);
        assertEquals(10, l.leftBehind());
        assertEquals(2, l.delivered());
        assertTrue(l.balanced(), l.toString());
    }

    @Test
    void aMoveKeepsTheLedgerBalancedAndWhatTheNewOutboxRefusedStaysBehind() {
        OutboxUse memory = ledger.begin(new InMemoryOutbox());
        offerAndStore(memory, 10);
        OutboxUse durable = ledger.begin(new InMemoryOutbox());
        durable.recovered(3); // it held three from before
        for (int i = 0; i < 9; i++) {
            memory.movedTo(durable);
        }
        // one refused by the new outbox: it stays in the in-memory one
        DeliveryLedger l = ledger.snapshot(12);
        assertEquals(1, l.leftBehind());
        assertEquals(3, l.recovered());
        assertTrue(l.balanced(), l.toString());
    }

    @Test
    void olderRetiredUsesAreAddedUpAndStillBalance() {
        long held = 0;
        for (int i = 0; i < LossLedger.RETIRED_KEPT + 5; i++) {
            OutboxUse use = ledger.begin(new InMemoryOutbox());
            offerAndStore(use, 3);
            use.settled(Outbox.Settlement.DELIVERED);
            held += 2;
        }
        OutboxUse last = ledger.begin(new InMemoryOutbox());
        offerAndStore(last, 1);
        DeliveryLedger l = ledger.snapshot(1);
        assertEquals(held, l.leftBehind());
        assertEquals(3L * (LossLedger.RETIRED_KEPT + 5) + 1, l.stored());
        assertTrue(l.balanced(), l.toString());
        assertNull(ledger.useOf(new InMemoryOutbox()));
    }

    @Test
    void theWireCountsSentAnsweredUnansweredAndInFlight() {
        OutboxUse wire = ledger.begin(null);
        offerAndStore(wire, 6);
        ledger.offered();
        ledger.refused(Refusal.NOT_CONNECTED);
        wire.settled(Outbox.Settlement.DELIVERED);
        wire.settled(Outbox.Settlement.DELIVERED);
        wire.settled(Outbox.Settlement.REJECTED);
        wire.unanswered();
        DeliveryLedger l = ledger.snapshot(ledger.expectedPending());
        assertEquals(2, l.pending(), "in flight");
        assertEquals(1, l.unanswered());
        assertEquals(1, l.refused(Refusal.NOT_CONNECTED));
        assertTrue(l.balanced(), l.toString());
    }
}
