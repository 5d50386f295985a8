package org.sepl.connector.impl.osgi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Consumer;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.outbox.OutboxStatus;

/**
 * The client service's properties that follow its status (connection state, outbox depth, oldest age, counters), for
 * monitoring with service filters or the web console. Checked every {@link #CHECK_PERIOD}; set only when they changed,
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
    private static final String[] ALL = {STATE, DEPTH, OLDEST_AGE_SECONDS, STORED, DELIVERED, REJECTED, DROPPED, EXPIRED,
            REFUSED};

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

    /** Adds the status properties of {@code status} to {@code into}. */
    static void put(ClientStatus status, Dictionary<String, Object> into) {
        OutboxStatus o = status.outbox();
        for (String key : ALL) {
            into.remove(key);
        }
        into.put(STATE, status.state().name());
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
