package org.sepl.connector.store.sqlite;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The log of a store's failed writes, by episode: the first failure as an ERROR that says what it means and that
 * writing resumes by itself, then at most one line per {@link #INTERVAL_NANOS} counting the failures since, and a line
 * when writes succeed again. A full disk under a stream of events thus costs a few lines, not one per write.
 * <p>
 * An episode ends only after {@link #INTERVAL_NANOS} without a failure: a nearly full disk, where a small write fits
 * now and then between failing ones, is one episode, with at most one summary and one "succeed again" line a minute.
 * Used by the writer thread only.
 */
final class WriteFailures {

    /** At most one summary line, and one "succeed again" line, a minute; and a minute without failures ends an episode. */
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final System.Logger LOG = System.getLogger(SqliteOutbox.class.getName());

    private final String store;
    private final LongSupplier nanoTime;
    private final System.Logger log;
    private boolean failing;
    private boolean diskFullEpisode;
    private boolean anyFailure;
    private long lastFailureNanos;
    private long episodeStartNanos;
    private long lastFailureLineNanos;
    private boolean recoveryLogged;
    private long lastRecoveryLineNanos;
    private long failedInEpisode;
    private long failedSinceLine;
    private String lastWhy;

    /** @param store names the store in log lines, e.g. {@code "outbox /var/lib/x/outbox.db"} */
    WriteFailures(String store) {
        this(store, System::nanoTime, LOG);
    }

    WriteFailures(String store, LongSupplier nanoTime, System.Logger log) {
        this.store = store;
        this.nanoTime = nanoTime;
        this.log = log;
    }

    /**
     * A write failed (and was rolled back).
     *
     * @param diskFull   whether SQLite said the disk is full
     * @param operations how many operations the write held
     * @return why, for the callers' refusals: short, and says what it means
     */
    String failed(Exception cause, boolean diskFull, int operations) {
        String why = diskFull ? "the disk is full (" + cause.getMessage() + ")" : String.valueOf(cause.getMessage());
        long now = nanoTime.getAsLong();
        boolean newEpisode = !anyFailure || !failing && now - lastFailureNanos >= INTERVAL_NANOS;
        anyFailure = true;
        failing = true;
        lastFailureNanos = now;
        lastWhy = why;
        if (newEpisode) {
            diskFullEpisode = diskFull;
            episodeStartNanos = now;
            lastFailureLineNanos = now;
            failedInEpisode = 1;
            failedSinceLine = 0;
            recoveryLogged = false;
            log.log(Level.ERROR, store + ": cannot write: " + why + ". The write (" + operations
                    + (operations == 1 ? " operation" : " operations") + ") was rolled back: "
                    + (diskFull ? "new messages are refused (DISK_FULL) until there is room; " : "its messages were "
                            + "refused (STORE_FAILED); ")
                    + "what the store holds is kept, and writing resumes by itself. Further failures: one line a "
                    + "minute");
            return why;
        }
        diskFullEpisode |= diskFull;
        failedInEpisode++;
        failedSinceLine++;
        if (now - lastFailureLineNanos >= INTERVAL_NANOS) {
            log.log(Level.WARNING, store + ": still cannot write at times: " + failedSinceLine + " more writes failed "
                    + "in the last " + seconds(now - lastFailureLineNanos) + " s (" + why + ")");
            lastFailureLineNanos = now;
            failedSinceLine = 0;
        }
        return why;
    }

    /**
     * A write succeeded. On a full disk only a write that stored messages counts: settlements and expiry go through on
     * a full disk (they need little room).
     *
     * @param stored whether the write stored messages
     */
    void succeeded(boolean stored) {
        if (!failing || diskFullEpisode && !stored) {
            return;
        }
        failing = false;
        long now = nanoTime.getAsLong();
        if (!recoveryLogged || now - lastRecoveryLineNanos >= INTERVAL_NANOS) {
            recoveryLogged = true;
            lastRecoveryLineNanos = now;
            log.log(Level.INFO, store + ": writes succeed again, after " + failedInEpisode + " failed "
                    + (failedInEpisode == 1 ? "write" : "writes") + " over " + seconds(now - episodeStartNanos) + " s");
        }
    }

    /** Something rare the writer did about a failure (logged as it happens). */
    void note(String what) {
        log.log(Level.WARNING, store + ": " + what);
    }

    /** The store closes: says how an episode still on ended. */
    void closing() {
        if (failing && failedSinceLine > 0) {
            log.log(Level.WARNING, store + ": closed while writes failed: " + failedSinceLine
                    + " more writes failed since the last line (" + lastWhy + ")");
        }
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }
}
