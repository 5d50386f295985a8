package org.sepl.connector.impl.outbox;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sepl.connector.api.outbox.Outbox;

/**
 * Messages the platform answered whose settlement the outbox could not store (a full disk): they stay in the outbox,
 * so they are kept here with their settlement, tried again later, and not sent again meanwhile (the platform has them).
 * Once settled they are gone from both. Confined to the outbox lane.
 * <p>
 * Bounded by {@link #MAX}: each is a message still in the outbox, so the outbox's own {@code maxMessages} bounds them
 * first with the default limits; beyond, the oldest is forgotten here and stays pending in the outbox, to be sent again
 * after the next synchronisation (a duplicate the platform may see, never a loss).
 */
final class SettlementRetries {

    /** The most kept: the default {@code maxMessages} of an outbox. */
    static final int MAX = 100_000;

    private final Map<MessageKey, Outbox.Settlement> waiting = new LinkedHashMap<>();

    /** @return whether {@code key} was answered and waits for its settlement to be stored */
    boolean contains(MessageKey key) {
        return waiting.containsKey(key);
    }

    /** Keeps a settlement to try again. */
    void failed(MessageKey key, Outbox.Settlement how) {
        waiting.put(key, how);
        if (waiting.size() > MAX) {
            Iterator<MessageKey> oldest = waiting.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** @return the settlements to try again now, in the order they failed; forgotten here until they fail again */
    Map<MessageKey, Outbox.Settlement> takeAll() {
        Map<MessageKey, Outbox.Settlement> all = new LinkedHashMap<>(waiting);
        waiting.clear();
        return all;
    }

    /** Forgets those of an outbox no longer in use (a durable one keeps the messages for its next open). */
    void forget(Outbox outbox) {
        waiting.keySet().removeIf(k -> k.outbox() == outbox);
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }
}
