package org.sepl.connector.impl.ledger;

import static java.lang.System.Logger.Level.ERROR;

import java.time.Duration;

import org.sepl.connector.api.DeliveryLedger;

/**
 * Checks in production that the loss ledger balances: a message that went somewhere nobody counted is a defect, and
 * is logged once as an ERROR naming the figures. A ledger read while something is on its way may be off for a
 * moment (an outbox's depth changes a moment before its removal is reported), so a difference counts only once it
 * stayed exactly the same, with the client quiet, for {@link #STEADY}. Confined to the outbox lane (or a test).
 */
public final class LedgerAudit {

    private static final System.Logger LOG = System.getLogger(LedgerAudit.class.getName());
    /** How long an unchanged difference must last: far longer than any count takes to follow an outcome. */
    public static final Duration STEADY = Duration.ofSeconds(1);

    private final System.Logger log;
    private DeliveryLedger suspect;
    private long suspectSince;
    private boolean reported;

    public LedgerAudit() {
        this(LOG);
    }

    LedgerAudit(System.Logger log) {
        this.log = log;
    }

    /**
     * @param quiet whether nothing was on its way when {@code ledger} was read (no call waiting to be stored, no
     *              answer waiting to be handled)
     * @param outbox names the outbox in use, for the log line
     * @return whether the ledger is out of balance for good (logged once)
     */
    public boolean check(DeliveryLedger ledger, boolean quiet, long nowNanos, String outbox) {
        if (!quiet || ledger.balanced()) {
            suspect = null;
            return false;
        }
        if (!ledger.equals(suspect)) {
            suspect = ledger;
            suspectSince = nowNanos;
            return false;
        }
        if (nowNanos - suspectSince < STEADY.toNanos()) {
            return false;
        }
        if (!reported) {
            reported = true;
            log.log(ERROR, "Loss ledger out of balance, outbox " + outbox + " (a defect: please report it with this line): "
                    + ledger);
        }
        return true;
    }
}
