package org.sepl.connector.impl.outbox;

import java.util.concurrent.atomic.AtomicLong;

import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxMessage;

/**
 * The bound of what waits to be stored: from the caller's hand-over until the outbox's append completed (or failed).
 * While the outbox store hangs (a stuck disk: a durable outbox queues appends to its writer) or the lane is held up
 * (a swap moving messages), callers' messages wait in memory; beyond {@link #MAX_MESSAGES} messages or
 * {@link #MAX_CHARS} characters a new one is refused at once ({@code REFUSED}, counted as
 * {@code DeliveryLedger.Refusal.BACKLOG}) instead of growing the queue. The bound is the stock outboxes' default
 * capacity: never more waits to be stored than a default outbox holds. Thread-safe; concurrent callers may pass it
 * by at most one message each.
 */
final class AppendBacklog {

    /** The stock outboxes' default capacity in messages. */
    static final long MAX_MESSAGES = OutboxLimits.MAX_MESSAGES_DEFAULT;
    /** Their default capacity in bytes, counted here in characters (cheap, and what the strings hold). */
    static final long MAX_CHARS = OutboxLimits.MAX_BYTES_DEFAULT;

    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong chars = new AtomicLong();

    /** @return false if the message does not fit (nothing counted) */
    boolean tryAdd(OutboxMessage m) {
        long size = chars(m);
        long waiting = messages.get();
        if (waiting >= MAX_MESSAGES || waiting > 0 && chars.get() + size > MAX_CHARS) { // one alone always fits
            return false;
        }
        messages.incrementAndGet();
        chars.addAndGet(size);
        return true;
    }

    /** A message's append completed or failed: it waits no more. */
    void removed(OutboxMessage m) {
        messages.decrementAndGet();
        chars.addAndGet(-chars(m));
    }

    /** @return why a message was refused, for its caller */
    String fullText() {
        return messages.get() + " messages (" + chars.get() + " characters) already wait for the outbox to store them "
                + "(at most " + MAX_MESSAGES + " and " + MAX_CHARS + "): the outbox store does not keep up";
    }

    private static long chars(OutboxMessage m) {
        return (long) m.deviceId().length() + m.serviceId().length() + m.payload().length();
    }
}
