package org.sepl.connector.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
import org.sepl.connector.store.support.OutboxAccounting;

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
    private final OutboxAccounting accounting;

    private final Object lock = new Object();
    // guarded by lock
    private final NavigableMap<Long, OutboxEntry> pending = new TreeMap<>();
    private long bytes;
    private long nextId = 1;
    private boolean closed;

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
        this.accounting = new OutboxAccounting("the in-memory outbox@" + Integer.toHexString(System.identityHashCode(this)),
                limits);
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
                    throw accounting.refuseClosed();
                }
                OutboxRefusedException tooLarge = accounting.refuseIfTooLarge(size);
                if (tooLarge != null) {
                    throw tooLarge;
                }
                Instant now = clock.instant();
                expireLocked(now, expiredNow);
                while (accounting.isFull(pending.size(), bytes, size)) {
                    if (limits.fullPolicy() == FullPolicy.REFUSE_NEW) {
                        throw accounting.refuseFull(pending.size(), bytes);
                    }
                    droppedNow.add(removeLocked(pending.firstKey()));
                }
                entry = new OutboxEntry(nextId++, message, now);
                pending.put(entry.id(), entry);
                bytes += size;
                accounting.stored(1);
            }
        } catch (OutboxRefusedException e) {
            report(expiredNow, droppedNow);
            return CompletableFuture.failedFuture(e);
        }
        report(expiredNow, droppedNow);
        return CompletableFuture.completedFuture(entry);
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
            into.add(e);
        }
    }

    private void report(List<OutboxEntry> expiredNow, List<OutboxEntry> droppedNow) {
        accounting.removed(expiredNow, OutboxListener.Reason.EXPIRED);
        accounting.removed(droppedNow, OutboxListener.Reason.DROPPED);
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
            // not tailMap(..).size(): that counts the whole tail, on every read of the sender
            batch = new ArrayList<>(Math.min(max, 16));
            for (OutboxEntry e : pending.tailMap(afterId, false).values()) {
                if (batch.size() == max) {
                    break;
                }
                batch.add(e);
            }
        }
        accounting.removed(expiredNow, OutboxListener.Reason.EXPIRED);
        return batch;
    }

    private void ensureOpenLocked() {
        if (closed) {
            throw accounting.closed();
        }
    }

    @Override
    public CompletionStage<Boolean> settle(long id, Settlement settlement) {
        Objects.requireNonNull(settlement, "settlement must not be null");
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(accounting.closed());
            }
            if (removeLocked(id) == null) {
                return CompletableFuture.completedFuture(false);
            }
            accounting.settled(settlement, 1);
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public OutboxStatus status() {
        List<OutboxEntry> expiredNow = new ArrayList<>(0);
        Duration oldestAge;
        long depth;
        long depthBytes;
        synchronized (lock) {
            Instant now = clock.instant();
            if (!closed) {
                expireLocked(now, expiredNow);
            }
            oldestAge = pending.isEmpty() ? Duration.ZERO
                    : max0(Duration.between(pending.firstEntry().getValue().acceptedAt(), now));
            depth = pending.size();
            depthBytes = bytes;
        }
        accounting.removed(expiredNow, OutboxListener.Reason.EXPIRED);
        return accounting.status(depth, depthBytes, oldestAge);
    }

    private static Duration max0(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Memory only: every operation is a short critical section. */
    @Override
    public boolean isNonBlocking() {
        return true;
    }

    @Override
    public OutboxLimits limits() {
        return limits;
    }

    @Override
    public void addListener(OutboxListener listener) {
        accounting.addListener(listener);
    }

    @Override
    public void removeListener(OutboxListener listener) {
        accounting.removeListener(listener);
    }

    /** Closes the outbox; what was pending is discarded (counted in {@link #status()} as depth until then). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        accounting.flush();
    }

    @Override
    public String toString() {
        return "InMemoryOutbox" + limits;
    }
}
