package org.sepl.connector.store.support;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxRefusedException;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.api.outbox.RefusalReason;

/**
 * What every stock outbox counts and says: the bounds check against its {@link OutboxLimits}, the refusals (with
 * messages naming the outbox and the property), the stored / delivered / rejected / dropped / expired / refused
 * counters, and the reports of messages removed without delivery ({@link RemovalReports}). The outbox keeps only
 * its depth and bytes. Thread-safe.
 */
public final class OutboxAccounting {

    private final String name;
    private final OutboxLimits limits;
    private final RemovalReports reports;
    private final LongAdder stored = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * @param name   names the outbox in messages and log lines, e.g. {@code "the outbox /var/lib/x/outbox.db"}
     * @param limits what it enforces
     */
    public OutboxAccounting(String name, OutboxLimits limits) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.limits = Objects.requireNonNull(limits, "limits must not be null");
        this.reports = new RemovalReports(name);
    }

    public OutboxLimits limits() {
        return limits;
    }

    /** @return the refusal (counted) if a message of {@code size} bytes can never fit; null if it can */
    public OutboxRefusedException refuseIfTooLarge(long size) {
        if (size <= limits.maxBytes()) {
            return null;
        }
        return refuse(RefusalReason.TOO_LARGE, "a message of " + size + " bytes is larger than " + name + " ("
                + OutboxLimits.MAX_BYTES + "=" + limits.maxBytes() + ")", null);
    }

    /** @return whether a message of {@code size} bytes exceeds a bound of an outbox holding {@code depth}, {@code bytes} */
    public boolean isFull(long depth, long bytes, long size) {
        return depth + 1 > limits.maxMessages() || bytes + size > limits.maxBytes();
    }

    /** @return the refusal (counted) of a message that does not fit, under {@link org.sepl.connector.api.outbox.FullPolicy#REFUSE_NEW} */
    public OutboxRefusedException refuseFull(long depth, long bytes) {
        return refuse(RefusalReason.FULL, name + " is full (" + depth + " messages, " + bytes + " bytes; "
                + OutboxLimits.MAX_MESSAGES + "=" + limits.maxMessages() + ", " + OutboxLimits.MAX_BYTES + "="
                + limits.maxBytes() + ", " + OutboxLimits.FULL_POLICY + "=REFUSE_NEW)", null);
    }

    /** @return the refusal (counted) of a message appended after close */
    public OutboxRefusedException refuseClosed() {
        return refuse(RefusalReason.CLOSED, name + " is closed", null);
    }

    /** @return a refusal (counted) */
    public OutboxRefusedException refuse(RefusalReason reason, String message, Throwable cause) {
        refused.increment();
        return cause == null ? new OutboxRefusedException(reason, message)
                : new OutboxRefusedException(reason, message, cause);
    }

    /** @return the exception of a call other than append on a closed outbox */
    public IllegalStateException closed() {
        return new IllegalStateException(name + " is closed");
    }

    /** Counts messages stored. */
    public void stored(long n) {
        stored.add(n);
    }

    /** Counts messages settled. */
    public void settled(Outbox.Settlement settlement, long n) {
        (settlement == Outbox.Settlement.DELIVERED ? delivered : rejected).add(n);
    }

    /**
     * Counts and reports messages removed without delivery; call after the removal is stored and outside the
     * outbox's locks (listeners run here).
     */
    public void removed(List<OutboxEntry> entries, OutboxListener.Reason reason) {
        if (entries.isEmpty()) {
            return;
        }
        (reason == OutboxListener.Reason.DROPPED ? dropped : expired).add(entries.size());
        reports.removed(entries, reason);
    }

    /** The status with these counters. */
    public OutboxStatus status(long depth, long bytes, Duration oldestAge) {
        return new OutboxStatus(depth, bytes, oldestAge, stored.sum(), delivered.sum(), rejected.sum(), dropped.sum(),
                expired.sum(), refused.sum());
    }

    public void addListener(OutboxListener listener) {
        reports.addListener(listener);
    }

    public void removeListener(OutboxListener listener) {
        reports.removeListener(listener);
    }

    /** Logs what the rate limit of removal reports held back (at close). */
    public void flush() {
        reports.flush();
    }
}
