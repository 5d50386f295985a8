package org.sepl.connector.impl.ledger;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.DeliveryLedger.Refusal;
import org.sepl.connector.api.outbox.Outbox;

/**
 * One client's loss ledger ({@link DeliveryLedger}): the calls it was handed, those refused by reason, and for each
 * use of an outbox ({@link OutboxUse}) what happened to its messages. Counting starts when the client is built.
 * <p>
 * <b>Swaps.</b> Each outbox the client takes is a new use, whose {@code recovered} is what the outbox held then (a
 * durable outbox's messages from before a restart; an outbox taken back). The use it replaces is retired: what it
 * still holds by the client's count is {@code leftBehind} (a durable outbox keeps it for its next open). Outcomes
 * that arrive after the swap (an append or settlement being written at that moment) are still counted in the use
 * they belong to, so the count of what was left behind stays right. The last {@value #RETIRED_KEPT} retired uses
 * are kept as they are; older ones are added up once (an outcome that arrives after {@value #RETIRED_KEPT} further
 * swaps would no longer be counted: none takes that long).
 * <p>
 * <b>Balance.</b> {@code pending} is read from the outbox in use; everything else is counted. Hence
 * {@link DeliveryLedger#outOfBalance()} is the difference between the client's count of the outbox in use and what
 * that outbox says it holds, plus any call neither stored nor refused: 0 whenever nothing is on its way.
 * <p>
 * Thread-safe: counters are counted from any thread; the uses change on the outbox lane only ({@link #begin}).
 */
public final class LossLedger {

    /** Retired uses kept apart (the rest is added up). */
    static final int RETIRED_KEPT = 8;

    /** The uses: replaced as a whole, so that a reader sees one consistent set. */
    private record Uses(OutboxUse current, List<OutboxUse> retired, Totals folded) {
    }

    /** Figures added up (of folded uses, or for a snapshot). */
    private record Totals(long recovered, long stored, long delivered, long rejected, long dropped, long expired,
            long unanswered, long leftBehind) {

        static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0, 0);

        Totals plus(OutboxUse u, boolean retired) {
            return new Totals(recovered + u.recovered.sum(), stored + u.stored.sum(), delivered + u.delivered.sum(),
                    rejected + u.rejected.sum(), dropped + u.dropped.sum(), expired + u.expired.sum(),
                    unanswered + u.unanswered.sum(), leftBehind + (retired ? u.expectedDepth() : 0));
        }
    }

    private final LongAdder offered = new LongAdder();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
    private volatile Uses uses = new Uses(null, List.of(), Totals.ZERO);

    public LossLedger() {
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder()); // all keys now: the map is only read from here on
        }
    }

    /** An event or answer was handed to the client. */
    public void offered() {
        offered.increment();
    }

    /** One handed to the client was not stored. */
    public void refused(Refusal why) {
        refused.get(why).increment();
    }

    /**
     * The client takes {@code outbox} (null: the wire, outbox disabled) into use; the use before it is retired.
     * Outbox lane only. The caller counts what it holds ({@link OutboxUse#recovered}) once its removals are heard.
     */
    public OutboxUse begin(Outbox outbox) {
        OutboxUse next = new OutboxUse(outbox);
        Uses now = uses;
        List<OutboxUse> retired = new ArrayList<>(now.retired());
        Totals folded = now.folded();
        if (now.current() != null) {
            retired.add(now.current());
        }
        while (retired.size() > RETIRED_KEPT) {
            folded = folded.plus(retired.remove(0), true);
        }
        uses = new Uses(next, List.copyOf(retired), folded);
        return next;
    }

    /** @return the use in which messages of {@code outbox} are counted (the newest), or null if none is kept */
    public OutboxUse useOf(Outbox outbox) {
        Uses now = uses;
        if (now.current() != null && now.current().outbox == outbox) {
            return now.current();
        }
        for (int i = now.retired().size() - 1; i >= 0; i--) {
            if (now.retired().get(i).outbox == outbox) {
                return now.retired().get(i);
            }
        }
        return null;
    }

    /** @return what the outbox in use holds by the client's count (0 without one) */
    public long expectedPending() {
        OutboxUse current = uses.current();
        return current == null ? 0 : current.expectedDepth();
    }

    /**
     * @param pending what the outbox in use holds now (its depth), or, for the wire, {@link #expectedPending()}
     * @return the ledger now
     */
    public DeliveryLedger snapshot(long pending) {
        Uses now = uses;
        Totals t = now.folded();
        for (OutboxUse u : now.retired()) {
            t = t.plus(u, true);
        }
        if (now.current() != null) {
            t = t.plus(now.current(), false);
        }
        Map<Refusal, Long> refusedNow = new EnumMap<>(Refusal.class);
        refused.forEach((r, n) -> refusedNow.put(r, n.sum()));
        return new DeliveryLedger(offered.sum(), refusedNow, t.stored(), t.recovered(), t.delivered(), t.rejected(),
                t.dropped(), t.expired(), t.leftBehind(), t.unanswered(), pending);
    }
}
