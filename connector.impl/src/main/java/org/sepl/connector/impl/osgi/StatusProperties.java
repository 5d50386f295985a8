package org.sepl.connector.impl.osgi;

import java.time.Duration;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Consumer;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.outbox.OutboxStatus;

/**
 * The client service's properties that follow its status (outbox depth, oldest age, counters), for monitoring with
 * service filters or the web console. Checked every {@link #PERIOD} and set only when they changed: at most one
 * service modification a second, never one per event.
 */
final class StatusProperties implements Consumer<ClientStatus> {

    static final Duration PERIOD = Duration.ofSeconds(1);

    static final String DEPTH = "outbox.depth";
    static final String OLDEST_AGE_SECONDS = "outbox.oldest.age.seconds";
    static final String STORED = "outbox.stored";
    static final String DELIVERED = "outbox.delivered";
    static final String REJECTED = "outbox.rejected";
    static final String DROPPED = "outbox.dropped";
    static final String EXPIRED = "outbox.expired";
    static final String REFUSED = "outbox.refused";
    private static final String[] ALL = {DEPTH, OLDEST_AGE_SECONDS, STORED, DELIVERED, REJECTED, DROPPED, EXPIRED, REFUSED};

    private final Dictionary<String, Object> fixed;
    private final Consumer<Dictionary<String, Object>> update;
    private Dictionary<String, Object> last;

    /** @param fixed the service's other properties (copied, not changed) */
    StatusProperties(Dictionary<String, Object> fixed, Consumer<Dictionary<String, Object>> update) {
        this.fixed = copy(fixed);
        this.update = update;
        Dictionary<String, Object> initial = copy(fixed);
        this.last = initial;
    }

    /** Adds the status properties of {@code status} to {@code into}. */
    static void put(ClientStatus status, Dictionary<String, Object> into) {
        OutboxStatus o = status.outbox();
        for (String key : ALL) {
            into.remove(key);
        }
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
        if (!next.equals(last)) {
            last = next;
            update.accept(copy(next));
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> c = new Hashtable<>();
        for (String key : Collections.list(d.keys())) {
            c.put(key, d.get(key));
        }
        return c;
    }
}
