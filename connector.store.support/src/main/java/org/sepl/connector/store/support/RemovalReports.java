package org.sepl.connector.store.support;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxListener;

/**
 * Reports messages an outbox removed without delivering them: to its {@link OutboxListener}s, and to the log,
 * rate-limited (the first removal at once, then at most one summary per {@link #LOG_INTERVAL_DEFAULT_NANOS}) so that
 * a full outbox dropping thousands of messages a second does not flood the log. Thread-safe.
 */
public final class RemovalReports {

    /** At most one log line per 10 s. */
    public static final long LOG_INTERVAL_DEFAULT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final System.Logger LOG = System.getLogger("org.sepl.connector.outbox");

    private final String outboxName;
    private final List<OutboxListener> listeners = new CopyOnWriteArrayList<>();
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final System.Logger log;

    // guarded by this
    private boolean loggedOnce;
    private long lastLogNanos;
    private long droppedSinceLog;
    private long expiredSinceLog;

    /** @param outboxName names the outbox in log lines, e.g. {@code "the outbox /var/lib/x/outbox.db"} */
    public RemovalReports(String outboxName) {
        this(outboxName, System::nanoTime, LOG_INTERVAL_DEFAULT_NANOS, LOG);
    }

    RemovalReports(String outboxName, LongSupplier nanoTime, long intervalNanos, System.Logger log) {
        this.outboxName = outboxName;
        this.nanoTime = nanoTime;
        this.intervalNanos = intervalNanos;
        this.log = log;
    }

    public void addListener(OutboxListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener must not be null"));
    }

    public void removeListener(OutboxListener listener) {
        listeners.remove(listener);
    }

    /** Reports removals; call after they are stored and outside the outbox's locks. */
    public void removed(List<OutboxEntry> entries, OutboxListener.Reason reason) {
        if (entries.isEmpty()) {
            return;
        }
        for (OutboxEntry entry : entries) {
            for (OutboxListener l : listeners) {
                try {
                    l.removed(entry, reason);
                } catch (RuntimeException e) {
                    log.log(Level.WARNING, outboxName + ": a listener failed: " + e, e);
                }
            }
        }
        logRateLimited(entries, reason);
    }

    private void logRateLimited(List<OutboxEntry> entries, OutboxListener.Reason reason) {
        String line;
        synchronized (this) {
            if (reason == OutboxListener.Reason.DROPPED) {
                droppedSinceLog += entries.size();
            } else {
                expiredSinceLog += entries.size();
            }
            long now = nanoTime.getAsLong();
            if (loggedOnce && now - lastLogNanos < intervalNanos) {
                return;
            }
            OutboxEntry first = entries.get(0);
            line = summaryLocked() + "; e.g. message " + first.id() + " of device '" + first.message().deviceId()
                    + "' accepted at " + first.acceptedAt();
            loggedOnce = true;
            lastLogNanos = now;
        }
        log.log(Level.WARNING, line);
    }

    private String summaryLocked() {
        String s = outboxName + ": " + droppedSinceLog + " message(s) dropped (outbox full) and "
                + expiredSinceLog + " expired (too old) without delivery"
                + (loggedOnce ? " since the last report" : "");
        droppedSinceLog = 0;
        expiredSinceLog = 0;
        return s;
    }

    /** Logs what the rate limit held back (at close). */
    public void flush() {
        String line;
        synchronized (this) {
            if (droppedSinceLog == 0 && expiredSinceLog == 0) {
                return;
            }
            line = summaryLocked();
        }
        log.log(Level.WARNING, line);
    }
}
