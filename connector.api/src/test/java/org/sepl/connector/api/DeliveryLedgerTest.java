package org.sepl.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.DeliveryLedger.Refusal;

class DeliveryLedgerTest {

    @Test
    void bothBalancesAndTheirWords() {
        DeliveryLedger l = new DeliveryLedger(120, Map.of(Refusal.FULL, 2L, Refusal.NO_OUTBOX, 1L), 117, 5, 110, 1,
                0, 0, 0, 0, 11);
        assertEquals(3, l.refusedTotal());
        assertEquals(2, l.refused(Refusal.FULL));
        assertEquals(0, l.refused(Refusal.BACKLOG));
        assertTrue(l.balanced());
        assertEquals("offered 120 = refused 3 (full 2, no outbox 1) + stored 117; stored 117 + recovered 5 = "
                + "delivered 110 + rejected 1 + dropped 0 + expired 0 + left behind 0 + unanswered 0 + pending 11",
                l.toString());
    }

    @Test
    void eachBalanceThatMissesCounts() {
        DeliveryLedger l = new DeliveryLedger(10, Map.of(), 8, 0, 5, 0, 0, 0, 0, 0, 4);
        assertFalse(l.balanced());
        assertEquals(2 + 1, l.outOfBalance(), "two calls neither stored nor refused, one message more than counted");
        assertTrue(l.toString().endsWith("; off by 3 (on their way, or a defect if it lasts while idle)"));
    }

    @Test
    void refusalsAreCopiedWithoutZerosAndCannotBeChanged() {
        Map<Refusal, Long> given = new HashMap<>(Map.of(Refusal.FULL, 1L, Refusal.CLOSED, 0L));
        DeliveryLedger l = new DeliveryLedger(1, given, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        given.put(Refusal.BACKLOG, 5L);
        assertEquals(Map.of(Refusal.FULL, 1L), l.refused());
        assertThrows(UnsupportedOperationException.class, () -> l.refused().put(Refusal.FULL, 2L));
        assertEquals(l, new DeliveryLedger(1, Map.of(Refusal.FULL, 1L), 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }
}
