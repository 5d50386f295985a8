package org.sepl.connector.impl.osgi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;

/**
 * The client service's properties that follow its status (connection state, outbox depth, oldest age, counters, flow,
 * and the loss ledger), for monitoring with service filters or the web console. Checked every {@link #CHECK_PERIOD}; set only when they changed,
 * and at most once per {@link #MIN_UPDATE_INTERVAL} (by the injected clock): a change within it is held back and set
 * by a later check, so a stream of events never makes one service modification each.
 */
final class StatusProperties implements Consumer<ClientStatus> {

    /** How often the component hands the status over: shorter than the interval, so a held-back change is late by
     * at most this much. */
    static final Duration CHECK_PERIOD = Duration.ofMillis(250);
    /** Least time between two service modifications. */
    static final Duration MIN_UPDATE_INTERVAL = Duration.ofSeconds(1);

    static final String STATE = "connection.state";
    static final String DEPTH = "outbox.depth";
    static final String OLDEST_AGE_SECONDS = "outbox.oldest.age.seconds";
    static final String STORED = "outbox.stored";
    static final String DELIVERED = "outbox.delivered";
    static final String REJECTED = "outbox.rejected";
    static final String DROPPED = "outbox.dropped";
    static final String EXPIRED = "outbox.expired";
    static final String REFUSED = "outbox.refused";
    /** Rounded to a tenth: finer changes would only churn the properties. */
    static final String INGEST_PER_SECOND = "outbox.ingest.per.second";
    static final String DRAIN_PER_SECOND = "outbox.drain.per.second";
    /** Present only while the outbox fills: seconds until it is full at that pace (0: full). */
    static final String FULL_IN_SECONDS = "outbox.full.in.seconds";
    static final String LEDGER = "ledger.";
    static final String LEDGER_OFFERED = LEDGER + "offered";
    /** All refusals; each reason also as {@code ledger.refused.<reason>} ({@link #refusedKey}). */
    static final String LEDGER_REFUSED = LEDGER + "refused";
    static final String LEDGER_STORED = LEDGER + "stored";
    static final String LEDGER_RECOVERED = LEDGER + "recovered";
    static final String LEDGER_DELIVERED = LEDGER + "delivered";
    static final String LEDGER_REJECTED = LEDGER + "rejected";
    static final String LEDGER_DROPPED = LEDGER + "dropped";
    static final String LEDGER_EXPIRED = LEDGER + "expired";
    static final String LEDGER_LEFT_BEHIND = LEDGER + "left.behind";
    static final String LEDGER_UNANSWERED = LEDGER + "unanswered";
    static final String LEDGER_PENDING = LEDGER + "pending";
    /**
     * {@code DeliveryLedger.outOfBalance()}: 0 whenever nothing is on its way; while messages flow it counts those
     * being stored or settled at that moment. Non-zero while idle is a defect (the client logs it as an ERROR).
     */
    static final String LEDGER_OUT_OF_BALANCE = LEDGER + "out.of.balance";
    private static final List<String> ALL = all();

    private final Dictionary<String, Object> fixed;
    private final Consumer<Dictionary<String, Object>> update;
    private final Clock clock;
    // guarded by this
    private Dictionary<String, Object> last;
    private Instant lastUpdate;

    /**
     * @param fixed  the service's properties as registered (copied, not changed): those not about the status stay
     * @param update sets the service's properties
     * @param clock  measures {@link #MIN_UPDATE_INTERVAL}
     */
    StatusProperties(Dictionary<String, Object> fixed, Consumer<Dictionary<String, Object>> update, Clock clock) {
        this.fixed = copy(fixed);
        this.update = update;
        this.clock = clock;
        this.last = copy(fixed);
    }

    /** @return e.g. {@code ledger.refused.too.large} */
    static String refusedKey(DeliveryLedger.Refusal reason) {
        return LEDGER_REFUSED + "." + reason.name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static List<String> all() {
        List<String> keys = new ArrayList<>(List.of(STATE, DEPTH, OLDEST_AGE_SECONDS, STORED, DELIVERED, REJECTED,
                DROPPED, EXPIRED, REFUSED, INGEST_PER_SECOND, DRAIN_PER_SECOND, FULL_IN_SECONDS, LEDGER_OFFERED,
                LEDGER_REFUSED, LEDGER_STORED, LEDGER_RECOVERED, LEDGER_DELIVERED, LEDGER_REJECTED, LEDGER_DROPPED,
                LEDGER_EXPIRED, LEDGER_LEFT_BEHIND, LEDGER_UNANSWERED, LEDGER_PENDING, LEDGER_OUT_OF_BALANCE));
        for (DeliveryLedger.Refusal r : DeliveryLedger.Refusal.values()) {
            keys.add(refusedKey(r));
        }
        return List.copyOf(keys);
    }

    /** Adds the status properties of {@code status} to {@code into}. */
    static void put(ClientStatus status, Dictionary<String, Object> into) {
        OutboxStatus o = status.outbox();
        for (String key : ALL) {
            into.remove(key);
        }
        into.put(STATE, status.state().name());
        putLedger(status.ledger(), into);
        putFlow(status.outboxFlow(), into);
        if (o == null) {
            return;
        }
        into.put(DEPTH, o.depth());
        into.put(OLDEST_AGE_SECONDS, o.oldestAge().toSeconds());
        into.put(STORED, o.stored());
        into.put(DELIVERED, o.delivered());
        into.put(REJECTED, o.rejected());
        into.put(DROPPED, o.dropped());
        into.put(EXPIRED, o.expired());
        into.put(REFUSED, o.refused());
    }

    private static void putLedger(DeliveryLedger l, Dictionary<String, Object> into) {
        if (l == null) {
            return;
        }
        into.put(LEDGER_OFFERED, l.offered());
        into.put(LEDGER_REFUSED, l.refusedTotal());
        for (DeliveryLedger.Refusal r : DeliveryLedger.Refusal.values()) {
            into.put(refusedKey(r), l.refused(r));
        }
        into.put(LEDGER_STORED, l.stored());
        into.put(LEDGER_RECOVERED, l.recovered());
        into.put(LEDGER_DELIVERED, l.delivered());
        into.put(LEDGER_REJECTED, l.rejected());
        into.put(LEDGER_DROPPED, l.dropped());
        into.put(LEDGER_EXPIRED, l.expired());
        into.put(LEDGER_LEFT_BEHIND, l.leftBehind());
        into.put(LEDGER_UNANSWERED, l.unanswered());
        into.put(LEDGER_PENDING, l.pending());
        into.put(LEDGER_OUT_OF_BALANCE, l.outOfBalance());
    }

    private static void putFlow(OutboxFlow f, Dictionary<String, Object> into) {
        if (f == null) {
            return;
        }
        into.put(INGEST_PER_SECOND, Math.round(f.ingestPerSecond() * 10) / 10.0);
        into.put(DRAIN_PER_SECOND, Math.round(f.drainPerSecond() * 10) / 10.0);
        if (f.timeUntilFull() != null) {
            into.put(FULL_IN_SECONDS, f.timeUntilFull().toSeconds());
        }
    }

    @Override
    public synchronized void accept(ClientStatus status) {
        Dictionary<String, Object> next = copy(fixed);
        put(status, next);
        if (next.equals(last)) {
            return;
        }
        Instant now = clock.instant();
        Duration sinceLast = lastUpdate == null ? null : Duration.between(lastUpdate, now);
        // a clock set back (negative) does not hold the properties back until it catches up
        if (sinceLast != null && !sinceLast.isNegative() && sinceLast.compareTo(MIN_UPDATE_INTERVAL) < 0) {
            return; // held back: a later check sets it
        }
        last = next;
        lastUpdate = now;
        update.accept(copy(next));
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> c = new Hashtable<>();
        for (String key : Collections.list(d.keys())) {
            c.put(key, d.get(key));
        }
        return c;
    }
}
