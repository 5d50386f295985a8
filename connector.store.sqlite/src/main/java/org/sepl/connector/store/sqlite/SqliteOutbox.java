package org.sepl.connector.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.api.outbox.RefusalReason;
import org.sepl.connector.store.sqlite.OutboxWriter.Operation;
import org.sepl.connector.store.support.OutboxAccounting;

/**
 * A durable outbox in a SQLite file: what it reported stored survives a kill -9 of the JVM and a power cut
 * (WAL journal, {@code synchronous=FULL}: the commit is synced to disk before an append's stage completes).
 * <p>
 * <b>Group commit.</b> Appends and settlements are queued to one writer thread ({@link OutboxWriter}), which writes
 * everything queued (up to {@link #BATCH_MAX} operations) in one transaction, commits once (one disk sync), and then
 * completes the stages of that batch, in order. Concurrent or pipelined callers thus share syncs; one caller that
 * waits for each append before the next pays a sync each (about 0.4 ms here).
 * <p>
 * <b>Ids</b> increase in the order appends were accepted, across restarts (never reused). Expiry is checked by the
 * writer at each batch, and by {@link #pending} and {@link #status}.
 * <p>
 * <b>Errors.</b> A file in use by another process, not SQLite, damaged, of a newer schema or belonging to something
 * else fails {@link #open} with an {@link IllegalStateException} naming the file, which is left untouched;
 * {@link #openSettingAsideDamaged} moves a damaged or unreadable file aside instead and starts empty. A failed write is
 * rolled back whole: its appends are refused with {@link RefusalReason#DISK_FULL} when the disk is full, else
 * {@link RefusalReason#STORE_FAILED}, and its settlements fail with {@link IllegalStateException}; when the disk is
 * full, settlements and expiry are tried once more without the appends. What is stored is kept, and the next write
 * tries afresh: writing resumes by itself once the disk has room.
 * <pre>{@code
 * try (SqliteOutbox outbox = SqliteOutbox.open(Path.of("outbox.db"), OutboxLimits.DEFAULT)) { ... }
 * }</pre>
 */
public final class SqliteOutbox implements Outbox {

    /** The schema this code writes ({@code PRAGMA user_version}). */
    static final int SCHEMA_VERSION = 1;
    /** {@code PRAGMA application_id} of outbox files: "SEPO". */
    static final int APPLICATION_ID = 0x5345504F;
    /** Most operations written in one transaction. */
    public static final int BATCH_MAX = 4096;
    /** How long a read waits for expiry by the writer before it goes on without it. */
    private static final long EXPIRY_WAIT_SECONDS = 30;

    private static final SqliteFile.Schema SCHEMA = new SqliteFile.Schema("outbox", APPLICATION_ID, SCHEMA_VERSION,
            "outbox",
            // AUTOINCREMENT: ids are never reused, even once the outbox was emptied
            List.of("CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL, "
                    + "device_id TEXT NOT NULL, service_id TEXT NOT NULL, payload TEXT NOT NULL, "
                    + "accepted_at INTEGER NOT NULL, size INTEGER NOT NULL)"),
            "move it away to start an empty outbox (its messages are then not sent; sqlite3 FILE .recover may save "
                    + "them), or let the OSGi component do so: it sets damaged outboxes aside");
    static final String COLUMNS = "id, kind, device_id, service_id, payload, accepted_at";

    private final Path file;
    private final SqliteFile sqlite;
    private final OutboxLimits limits;
    private final Clock clock;
    private final OutboxAccounting accounting;
    private final Connection reader; // guarded by itself
    private final PreparedStatement selectPending; // guarded by reader
    private final PreparedStatement selectOldest; // guarded by reader
    private final BlockingQueue<Operation> queue = new LinkedBlockingQueue<>();
    private final Object queueLock = new Object();
    private boolean closing; // guarded by queueLock
    private final Thread writerThread;
    private final OutboxWriter writer;

    private SqliteOutbox(SqliteFile sqlite, OutboxLimits limits, Clock clock) throws SQLException {
        this.file = sqlite.file();
        this.sqlite = sqlite;
        this.limits = limits;
        this.clock = clock;
        this.accounting = new OutboxAccounting("the outbox " + file, limits);
        Connection r = sqlite.connect();
        try {
            this.selectPending = r.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE id > ? ORDER BY id LIMIT ?");
            this.selectOldest = r.prepareStatement("SELECT accepted_at FROM outbox ORDER BY id LIMIT 1");
            this.writer = new OutboxWriter(sqlite, queue, limits, clock, accounting, new WriteFailures("outbox " + file));
            this.reader = r;
        } catch (SQLException | RuntimeException e) {
            SqliteFile.closeQuietly(r);
            throw e;
        }
        this.writerThread = new Thread(writer, "sepl-outbox-writer " + file.getFileName());
        writerThread.setDaemon(true);
        writerThread.start();
    }

    /** Opens (or creates) an outbox file with {@link OutboxLimits#DEFAULT}. */
    public static SqliteOutbox open(Path file) {
        return open(file, OutboxLimits.DEFAULT);
    }

    /** Opens (or creates) an outbox file. */
    public static SqliteOutbox open(Path file, OutboxLimits limits) {
        return open(file, limits, Clock.systemUTC());
    }

    /**
     * Opens (or creates) an outbox file; what it holds is pending again, with its ids and times accepted.
     *
     * @param clock gives {@link OutboxEntry#acceptedAt()} and the age of messages (stored in milliseconds)
     * @throws IllegalStateException naming the file if it cannot be opened, is in use by another process, or is not
     *                               an outbox (left untouched)
     */
    public static SqliteOutbox open(Path file, OutboxLimits limits, Clock clock) {
        return open(file, limits, clock, false);
    }

    /**
     * As {@link #open(Path, OutboxLimits, Clock)}, but a damaged or unreadable file (failed {@code quick_check},
     * corrupt pages, a header of zeros, an I/O error reading it) is moved aside with its {@code -wal} and {@code -shm}
     * files ({@code outbox.db.damaged-20261205T031800Z}), logged as an ERROR naming both paths, and an empty outbox is
     * started in its place: the gateway keeps working, without the messages of the damaged file. Files refused for
     * other reasons (in use by another process, another application's database, a newer schema, not SQLite at all)
     * are still refused and never moved.
     */
    public static SqliteOutbox openSettingAsideDamaged(Path file, OutboxLimits limits, Clock clock) {
        return open(file, limits, clock, true);
    }

    private static SqliteOutbox open(Path file, OutboxLimits limits, Clock clock, boolean setAside) {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(limits, "limits must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        SqliteFile sqlite = setAside ? SqliteFile.openSettingAsideLost(file, SCHEMA, clock.instant())
                : SqliteFile.open(file, SCHEMA);
        try {
            return new SqliteOutbox(sqlite, limits, clock);
        } catch (SQLException | RuntimeException e) {
            sqlite.close();
            throw new IllegalStateException("cannot open the outbox " + sqlite.file() + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    private boolean enqueue(Operation op) {
        synchronized (queueLock) {
            if (closing) {
                return false;
            }
            queue.add(op);
            return true;
        }
    }

    /** Durable: a message is on disk (synced) when its append completes, and kept across restarts and crashes. */
    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public CompletionStage<OutboxEntry> append(OutboxMessage message) {
        Objects.requireNonNull(message, "message must not be null");
        long size = message.size();
        Throwable tooLarge = accounting.refuseIfTooLarge(size);
        if (tooLarge != null) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        CompletableFuture<OutboxEntry> result = new CompletableFuture<>();
        if (!enqueue(new OutboxWriter.Append(message, size, result))) {
            return CompletableFuture.failedFuture(accounting.refuseClosed());
        }
        return result;
    }

    @Override
    public CompletionStage<Boolean> settle(long id, Settlement settlement) {
        Objects.requireNonNull(settlement, "settlement must not be null");
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        if (!enqueue(new OutboxWriter.Settle(id, settlement, result))) {
            return CompletableFuture.failedFuture(accounting.closed());
        }
        return result;
    }

    @Override
    public List<OutboxEntry> pending(long afterId, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        long cutoff = cutoffMillis(clock.instant(), limits);
        List<OutboxEntry> batch = new ArrayList<>();
        synchronized (reader) {
            ensureOpen();
            try {
                selectPending.setLong(1, afterId);
                selectPending.setInt(2, max);
                try (ResultSet rows = selectPending.executeQuery()) {
                    while (rows.next()) {
                        OutboxEntry e = entry(rows);
                        if (e.acceptedAt().toEpochMilli() >= cutoff) {
                            batch.add(e);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("outbox " + file + ": read failed: " + e.getMessage(), e);
            }
        }
        if (batch.size() < max && oldestAcceptedMillis() < cutoff && expireNow()) {
            // some were too old: removed (and reported) before the caller goes on
            return batch.size() == 0 ? pending(afterId, max) : batch;
        }
        return batch;
    }

    static long cutoffMillis(Instant now, OutboxLimits limits) {
        return now.minus(limits.maxAge()).toEpochMilli();
    }

    /** Accepted time of the oldest pending message; {@code Long.MAX_VALUE} if there is none. */
    private long oldestAcceptedMillis() {
        synchronized (reader) {
            ensureOpen();
            try (ResultSet r = selectOldest.executeQuery()) {
                return r.next() ? r.getLong(1) : Long.MAX_VALUE;
            } catch (SQLException e) {
                throw new IllegalStateException("outbox " + file + ": read failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Has the writer remove what is too old now.
     *
     * @return whether it did; false if it could not write (a full disk: the messages are removed at a later write,
     *         and readers skip them meanwhile)
     */
    private boolean expireNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!enqueue(new OutboxWriter.Expire(done))) {
            throw accounting.closed();
        }
        try {
            done.get(EXPIRY_WAIT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Runs {@code work} on the write connection between two batches, outside any transaction, and waits for it. For
     * tests: {@code PRAGMA max_page_count} makes the file's disk "full" at a given size, as a small file system would.
     */
    void onWriteConnection(SqlWork work) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!enqueue(new OutboxWriter.Maintain(work, done))) {
            throw accounting.closed();
        }
        done.get(EXPIRY_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void ensureOpen() {
        if (writer.closed) {
            throw accounting.closed();
        }
    }

    @Override
    public OutboxStatus status() {
        Instant now = clock.instant();
        long oldest;
        boolean open = !writer.closed;
        if (open) {
            oldest = oldestAcceptedMillis();
            if (oldest < cutoffMillis(now, limits) && expireNow()) {
                oldest = oldestAcceptedMillis();
            }
        } else {
            oldest = Long.MAX_VALUE;
        }
        OutboxWriter.Totals t = writer.committed();
        Duration age = oldest == Long.MAX_VALUE ? Duration.ZERO
                : Duration.ofMillis(Math.max(0, now.toEpochMilli() - oldest));
        return accounting.status(t.depth(), t.bytes(), age);
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

    /**
     * Writes what was queued before (appends are stored, settlements applied), then closes the file and releases its
     * lock; later calls are refused. Idempotent.
     */
    @Override
    public void close() {
        synchronized (queueLock) {
            if (!closing) {
                closing = true;
                queue.add(new OutboxWriter.Close());
            }
        }
        boolean interrupted = false;
        while (writerThread.isAlive() && Thread.currentThread() != writerThread) {
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        synchronized (reader) {
            SqliteFile.closeQuietly(reader);
        }
        sqlite.close();
        accounting.flush();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static OutboxEntry entry(ResultSet row) throws SQLException {
        OutboxMessage.Kind kind = row.getInt(2) == 0 ? OutboxMessage.Kind.EVENT : OutboxMessage.Kind.RESPONSE;
        OutboxMessage m = new OutboxMessage(kind, row.getString(3), row.getString(4), row.getString(5));
        return new OutboxEntry(row.getLong(1), m, Instant.ofEpochMilli(row.getLong(6)));
    }

    @Override
    public String toString() {
        return "SqliteOutbox[" + file + ", " + limits + "]";
    }
}
