package org.sepl.connector.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.sepl.connector.api.outbox.FullPolicy;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxRefusedException;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.api.outbox.RefusalReason;
import org.sepl.connector.store.support.RemovalReports;

/**
 * A bounded outbox in memory, the client's default: fast, and survives outages of the link but not a restart of the
 * gateway (what is pending then is lost; use the SQLite outbox for that).
 * <p>
 * One order across all devices (increasing ids); an append is stored when it returns (its stage is already
 * complete). Expiry is checked at every call. Thread-safe (one short lock per call; listeners are called after it is
 * released, on the caller's thread).
 * <pre>{@code
 * Outbox outbox = new InMemoryOutbox(OutboxLimits.DEFAULT.withMaxMessages(10_000).withFullPolicy(FullPolicy.DROP_OLDEST));
 * }</pre>
 */
public class InMemoryOutbox implements Outbox {

    private final OutboxLimits limits;
    private final Clock clock;
    private final RemovalReports reports;

    private final Object lock = new Object();
    // guarded by lock
    private final NavigableMap<Long, OutboxEntry> pending = new TreeMap<>();
    private long bytes;
    private long nextId = 1;
    private boolean closed;
    private long stored;
    private long delivered;
    private long rejected;
    private long dropped;
    private long expired;
    private long refused;

    /** An outbox with {@link OutboxLimits#DEFAULT}. */
    public InMemoryOutbox() {
        this(OutboxLimits.DEFAULT);
    }

    public InMemoryOutbox(OutboxLimits limits) {
        this(limits, Clock.systemUTC());
    }

    /** @param clock gives {@link OutboxEntry#acceptedAt()} and the age of messages */
    public InMemoryOutbox(OutboxLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.reports = new RemovalReports("in memory@" + Integer.toHexString(System.identityHashCode(this)));
    }

    @Override
    public CompletionStage<OutboxEntry> append(OutboxMessage message) {
        Objects.requireNonNull(message, "message must not be null");
        long size = message.size();
        List<OutboxEntry> expiredNow = new ArrayList<>(0);
        List<OutboxEntry> droppedNow = new ArrayList<>(0);
        OutboxEntry entry;
        try {
            synchronized (lock) {
                if (closed) {
                    throw refusedLocked(RefusalReason.CLOSED, "the in-memory outbox is closed");
                }
                if (size > limits.maxBytes()) {
                    throw refusedLocked(RefusalReason.TOO_LARGE, "a message of " + size + " bytes is larger than the outbox ("
                            + OutboxLimits.MAX_BYTES + "=" + limits.maxBytes() + ")");
                }
                Instant now = clock.instant();
                expireLocked(now, expiredNow);
                while (pending.size() + 1 > limits.maxMessages() || bytes + size > limits.maxBytes()) {
                    if (limits.fullPolicy() == FullPolicy.REFUSE_NEW) {
                        throw refusedLocked(RefusalReason.FULL, "the in-memory outbox is full (" + pending.size()
                                + " messages, " + bytes + " bytes; " + OutboxLimits.MAX_MESSAGES + "=" + limits.maxMessages()
                                + ", " + OutboxLimits.MAX_BYTES + "=" + limits.maxBytes() + ", " + OutboxLimits.FULL_POLICY
                                + "=REFUSE_NEW)");
                    }
                    OutboxEntry oldest = removeLocked(pending.firstKey());
                    dropped++;
                    droppedNow.add(oldest);
                }
                entry = new OutboxEntry(nextId++, message, now);
                pending.put(entry.id(), entry);
                bytes += size;
                stored++;
            }
        } catch (OutboxRefusedException e) {
            report(expiredNow, droppedNow);
            return CompletableFuture.failedFuture(e);
        }
        report(expiredNow, droppedNow);
        return CompletableFuture.completedFuture(entry);
    }

    private OutboxRefusedException refusedLocked(RefusalReason reason, String message) {
        refused++;
        return new OutboxRefusedException(reason, message);
    }

    private OutboxEntry removeLocked(long id) {
        OutboxEntry e = pending.remove(id);
        if (e != null) {
            bytes -= e.message().size();
        }
        return e;
    }

    private void expireLocked(Instant now, List<OutboxEntry> into) {
        Instant cutoff = now.minus(limits.maxAge());
        for (Iterator<OutboxEntry> it = pending.values().iterator(); it.hasNext();) {
            OutboxEntry e = it.next();
            if (!e.acceptedAt().isBefore(cutoff)) {
                break; // accepted in order: the rest is younger (a clock set back only delays expiry)
            }
            it.remove();
            bytes -= e.message().size();
            expired++;
            into.add(e);
        }
    }

    private void report(List<OutboxEntry> expiredNow, List<OutboxEntry> droppedNow) {
        reports.removed(expiredNow, OutboxListener.Reason.EXPIRED);
        reports.removed(droppedNow, OutboxListener.Reason.DROPPED);
    }

    @Override
    public List<OutboxEntry> pending(long afterId, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        List<OutboxEntry> expiredNow = new ArrayList<>(0);
        List<OutboxEntry> batch;
        synchronized (lock) {
            ensureOpenLocked();
            expireLocked(clock.instant(), expiredNow);
            Map<Long, OutboxEntry> after = pending.tailMap(afterId, false);
            batch = new ArrayList<>(Math.min(max, after.size()));
            for (OutboxEntry e : after.values()) {
                if (batch.size() == max) {
                    break;
                }
                batch.add(e);
            }
        }
        reports.removed(expiredNow, OutboxListener.Reason.EXPIRED);
        return batch;
    }

    private void ensureOpenLocked() {
        if (closed) {
            throw new IllegalStateException("the in-memory outbox is closed");
        }
    }

    @Override
    public CompletionStage<Boolean> settle(long id, Settlement settlement) {
        Objects.requireNonNull(settlement, "settlement must not be null");
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the in-memory outbox is closed"));
            }
            if (removeLocked(id) == null) {
                return CompletableFuture.completedFuture(false);
            }
            if (settlement == Settlement.DELIVERED) {
                delivered++;
            } else {
                rejected++;
            }
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public OutboxStatus status() {
        List<OutboxEntry> expiredNow = new ArrayList<>(0);
        OutboxStatus status;
        synchronized (lock) {
            Instant now = clock.instant();
            if (!closed) {
                expireLocked(now, expiredNow);
            }
            Duration oldestAge = pending.isEmpty() ? Duration.ZERO
                    : max0(Duration.between(pending.firstEntry().getValue().acceptedAt(), now));
            status = new OutboxStatus(pending.size(), bytes, oldestAge, stored, delivered, rejected, dropped, expired,
                    refused);
        }
        reports.removed(expiredNow, OutboxListener.Reason.EXPIRED);
        return status;
    }

    private static Duration max0(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public OutboxLimits limits() {
        return limits;
    }

    @Override
    public void addListener(OutboxListener listener) {
        reports.addListener(listener);
    }

    @Override
    public void removeListener(OutboxListener listener) {
        reports.removeListener(listener);
    }

    /** Closes the outbox; what was pending is discarded (counted in {@link #status()} as depth until then). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        reports.flush();
    }

    @Override
    public String toString() {
        return "InMemoryOutbox" + limits;
    }
}
