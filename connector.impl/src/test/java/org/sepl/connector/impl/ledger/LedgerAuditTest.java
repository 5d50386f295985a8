package org.sepl.connector.impl.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.impl.LogCapture;

/** The production check of the ledger: a lasting difference while quiet is logged once; a passing one never. */
class LedgerAuditTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static DeliveryLedger ledger(long stored, long delivered, long pending) {
        return new DeliveryLedger(stored, Map.of(), stored, 0, delivered, 0, 0, 0, 0, 0, pending);
    }

    @Test
    void aDifferenceThatLastsWhileQuietIsLoggedOnceAsAnError() {
        try (LogCapture log = new LogCapture(LedgerAudit.class)) {
            LedgerAudit audit = new LedgerAudit();
            DeliveryLedger off = ledger(10, 5, 4); // one message went nowhere
            assertFalse(audit.check(off, true, 0, "outbox-1"), "not yet: it may be on its way");
            assertFalse(audit.check(off, true, SECOND / 2, "outbox-1"));
            assertTrue(audit.check(off, true, SECOND, "outbox-1"));
            assertTrue(audit.check(off, true, 5 * SECOND, "outbox-1"));
            assertEquals(1, log.lines().size(), log.lines().toString());
            assertTrue(log.has(Level.SEVERE, "Loss ledger out of balance", "outbox-1", "stored 10", "delivered 5",
                    "pending 4", "off by 1"), log.lines().toString());
        }
    }

    @Test
    void aDifferenceThatChangesOrComesWhileBusyIsNotADefect() {
        try (LogCapture log = new LogCapture(LedgerAudit.class)) {
            LedgerAudit audit = new LedgerAudit();
            for (int i = 0; i < 10; i++) { // a stream: each reading differs, each is off by what is on its way
                assertFalse(audit.check(ledger(10 + i, 5 + i, 4), true, i * SECOND, "o"));
            }
            for (int i = 0; i < 10; i++) { // the same figures, but something is on its way
                assertFalse(audit.check(ledger(30, 20, 9), false, (20 + i) * SECOND, "o"));
            }
            assertFalse(audit.check(ledger(30, 20, 10), true, 40 * SECOND, "o"), "balanced");
            assertTrue(log.lines().isEmpty(), log.lines().toString());
        }
    }
}
