package org.sepl.connector.store.sqlite;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sepl.connector.api.outbox.FullPolicy;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.api.outbox.RefusalReason;
import org.sepl.connector.store.support.OutboxAccounting;

/**
 * A durable outbox in a SQLite file: what it reported stored survives a kill -9 of the JVM and a power cut
 * (WAL journal, {@code synchronous=FULL}: the commit is synced to disk before an append's stage completes).
 * <p>
 * <b>Group commit.</b> Appends and settlements are queued to one writer thread, which writes everything queued
 * (up to {@link #BATCH_MAX} operations) in one transaction, commits once (one disk sync), and then completes the
 * stages of that batch, in order. Concurrent or pipelined callers thus share syncs; one caller that waits for each
 * append before the next pays a sync each (about 0.4 ms here).
 * <p>
 * <b>Ids</b> increase in the order appends were accepted, across restarts (never reused). Expiry is checked by the
 * writer at each batch, and by {@link #pending} and {@link #status}.
 * <p>
 * <b>Errors.</b> A file that is not SQLite, is corrupt, is of a newer schema or belongs to something else fails
 * {@link #open} with an {@link IllegalStateException} naming the file, which is left untouched. A failed commit fails
 * the batch's appends with {@link RefusalReason#STORE_FAILED} and its settlements with {@link IllegalStateException};
 * nothing of the batch is stored (rolled back).
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
    /** Settlements are sorted by {@code id * OPERATIONS_PER_ID + position in the batch}. */
    private static final long OPERATIONS_PER_ID = BATCH_MAX;
    /** Ids at or above this cannot be sorted that way; no outbox reaches them (2^51 messages). */
    private static final long MAX_ID = Long.MAX_VALUE / OPERATIONS_PER_ID;
    /** Page cache of each connection: 8 MiB (negative: KiB), enough for the rows of a full batch and the index. */
    private static final int CACHE_SIZE_PRAGMA = -8192;

    private static final SqliteFile.Schema SCHEMA = new SqliteFile.Schema("outbox", APPLICATION_ID, SCHEMA_VERSION,
            "outbox",
            // AUTOINCREMENT: ids are never reused, even once the outbox was emptied
            List.of("CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL, "
                    + "device_id TEXT NOT NULL, service_id TEXT NOT NULL, payload TEXT NOT NULL, "
                    + "accepted_at INTEGER NOT NULL, size INTEGER NOT NULL)"));
    private static final String COLUMNS = "id, kind, device_id, service_id, payload, accepted_at";
    private static final System.Logger LOG = System.getLogger(SqliteOutbox.class.getName());

    private final Path file;
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
    private final Writer writer;
    /** What is committed; replaced by the writer after each commit. */
    private volatile Totals committed;

    /** Depth and bytes as committed. */
    private record Totals(long depth, long bytes) {
    }

    private SqliteOutbox(SqliteFile sqlite, OutboxLimits limits, Clock clock) throws SQLException {
        this.file = sqlite.file();
        this.limits = limits;
        this.clock = clock;
        this.accounting = new OutboxAccounting("the outbox " + file, limits);
        Connection w = sqlite.connect();
        Connection r = null;
        try {
            r = sqlite.connect();
            this.writer = new Writer(w);
            this.reader = r;
            this.selectPending = r.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE id > ? ORDER BY id LIMIT ?");
            this.selectOldest = r.prepareStatement("SELECT accepted_at FROM outbox ORDER BY id LIMIT 1");
        } catch (SQLException | RuntimeException e) {
            SqliteFile.closeQuietly(r);
            SqliteFile.closeQuietly(w);
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
     * @throws IllegalStateException naming the file if it cannot be opened or is not an outbox (left untouched)
     */
    public static SqliteOutbox open(Path file, OutboxLimits limits, Clock clock) {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(limits, "limits must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        SqliteFile sqlite = SqliteFile.open(file, SCHEMA);
        try {
            return new SqliteOutbox(sqlite, limits, clock);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the outbox " + sqlite.file() + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    // ---- operations queued to the writer -------------------------------------------------------------------------

    private sealed interface Operation permits Append, Settle, Expire, Close {
    }

    private record Append(OutboxMessage message, long size, CompletableFuture<OutboxEntry> result) implements Operation {
    }

    private record Settle(long id, Settlement settlement, CompletableFuture<Boolean> result) implements Operation {
    }

    /** Makes the writer run expiry now (it does at every batch). */
    private record Expire(CompletableFuture<Void> result) implements Operation {
    }

    private record Close() implements Operation {
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
        if (!enqueue(new Append(message, size, result))) {
            return CompletableFuture.failedFuture(accounting.refuseClosed());
        }
        return result;
    }

    @Override
    public CompletionStage<Boolean> settle(long id, Settlement settlement) {
        Objects.requireNonNull(settlement, "settlement must not be null");
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        if (!enqueue(new Settle(id, settlement, result))) {
            return CompletableFuture.failedFuture(accounting.closed());
        }
        return result;
    }

    @Override
    public List<OutboxEntry> pending(long afterId, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        long cutoff = cutoffMillis(clock.instant());
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
        if (batch.size() < max && oldestAcceptedMillis() < cutoff) {
            expireNow(); // some were too old: remove them (and report them) before the caller goes on
            return batch.size() == 0 ? pending(afterId, max) : batch;
        }
        return batch;
    }

    private long cutoffMillis(Instant now) {
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

    private void expireNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!enqueue(new Expire(done))) {
            throw accounting.closed();
        }
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("outbox " + file + ": expiry failed: " + e.getMessage(), e);
        }
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
            if (oldest < cutoffMillis(now)) {
                expireNow();
                oldest = oldestAcceptedMillis();
            }
        } else {
            oldest = Long.MAX_VALUE;
        }
        Totals t = committed;
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
     * Writes what was queued before (appends are stored, settlements applied), then closes the file; later calls
     * are refused. Idempotent.
     */
    @Override
    public void close() {
        synchronized (queueLock) {
            if (!closing) {
                closing = true;
                queue.add(new Close());
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
        accounting.flush();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static OutboxEntry entry(ResultSet row) throws SQLException {
        OutboxMessage.Kind kind = row.getInt(2) == 0 ? OutboxMessage.Kind.EVENT : OutboxMessage.Kind.RESPONSE;
        OutboxMessage m = new OutboxMessage(kind, row.getString(3), row.getString(4), row.getString(5));
        return new OutboxEntry(row.getLong(1), m, Instant.ofEpochMilli(row.getLong(6)));
    }

    @Override
    public String toString() {
        return "SqliteOutbox[" + file + ", " + limits + "]";
    }

    // ---- the writer ---------------------------------------------------------------------------------------------

    /**
     * Owns the write connection: drains the queue, one transaction per batch, completes stages after the commit.
     * A batch runs expiry, then its settlements (sorted by id, one {@code DELETE ... BETWEEN} per run of consecutive
     * ids: a client settles in about the order it appended), then its appends (one native batch of INSERTs). A
     * settlement never names a message of its own batch (an id is known only once its append's commit completed),
     * so doing settlements first changes no outcome; it frees room before the appends are checked against the bounds.
     */
    private final class Writer implements Runnable {

        private final Connection connection;
        private final PreparedStatement insert;
        private final PreparedStatement deleteRange;
        private final PreparedStatement oldest;
        private long nextId;
        /** Depth and bytes as written by this transaction (equal to {@link #committed} between batches). */
        private long depth;
        private long bytes;
        volatile boolean closed;

        Writer(Connection connection) throws SQLException {
            this.connection = connection;
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA cache_size = " + CACHE_SIZE_PRAGMA);
                try (ResultSet r = s.executeQuery("SELECT count(*), coalesce(sum(size), 0), coalesce(max(id), 0) FROM outbox")) {
                    r.next();
                    depth = r.getLong(1);
                    bytes = r.getLong(2);
                    nextId = r.getLong(3) + 1;
                }
                try (ResultSet r = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) {
                    if (r.next()) {
                        nextId = Math.max(nextId, r.getLong(1) + 1);
                    }
                }
                committed = new Totals(depth, bytes);
            }
            connection.setAutoCommit(false);
            insert = connection.prepareStatement("INSERT INTO outbox (id, kind, device_id, service_id, payload, "
                    + "accepted_at, size) VALUES (?, ?, ?, ?, ?, ?, ?)");
            deleteRange = connection.prepareStatement("DELETE FROM outbox WHERE id BETWEEN ? AND ? RETURNING id, size");
            oldest = connection.prepareStatement("SELECT " + COLUMNS + ", size FROM outbox ORDER BY id LIMIT 1");
        }

        @Override
        public void run() {
            List<Operation> batch = new ArrayList<>();
            try {
                boolean close = false;
                while (!close) {
                    batch.clear();
                    try {
                        batch.add(queue.take());
                    } catch (InterruptedException e) {
                        continue; // only close() ends the writer
                    }
                    queue.drainTo(batch, BATCH_MAX - 1);
                    close = batch.get(batch.size() - 1) instanceof Close;
                    write(batch);
                }
            } finally {
                closed = true;
                SqliteFile.closeQuietly(connection);
            }
        }

        /** What a batch did, reported only once its transaction committed. */
        private final class Batch {
            final Object[] outcomes;
            long stored;
            long delivered;
            long rejected;
            final List<OutboxEntry> droppedEntries = new ArrayList<>(0);
            final List<OutboxEntry> expiredEntries = new ArrayList<>(0);
            int insertsQueued;

            Batch(int size) {
                outcomes = new Object[size];
            }
        }

        private void write(List<Operation> operations) {
            long firstId = nextId;
            Batch b = new Batch(operations.size());
            try {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                expire(b, cutoffMillis(now));
                settleAll(b, operations);
                for (int i = 0; i < operations.size(); i++) {
                    if (operations.get(i) instanceof Append a) {
                        append(b, i, a, now);
                    }
                }
                flushInserts(b);
                connection.commit(); // synchronous=FULL: synced to disk before anyone is told
            } catch (SQLException | RuntimeException e) {
                rollback();
                nextId = firstId;
                depth = committed.depth();
                bytes = committed.bytes();
                fail(operations, e);
                return;
            }
            committed = new Totals(depth, bytes);
            accounting.stored(b.stored);
            accounting.settled(Settlement.DELIVERED, b.delivered);
            accounting.settled(Settlement.REJECTED, b.rejected);
            // listeners first: whoever waits for a dropped message learns it before the append that dropped it completes
            accounting.removed(b.expiredEntries, OutboxListener.Reason.EXPIRED);
            accounting.removed(b.droppedEntries, OutboxListener.Reason.DROPPED);
            complete(operations, b.outcomes);
        }

        private void complete(List<Operation> operations, Object[] outcomes) {
            for (int i = 0; i < operations.size(); i++) {
                Operation op = operations.get(i);
                if (op instanceof Append a) {
                    if (outcomes[i] instanceof OutboxEntry entry) {
                        a.result().complete(entry);
                    } else {
                        a.result().completeExceptionally((Throwable) outcomes[i]);
                    }
                } else if (op instanceof Settle s) {
                    s.result().complete((Boolean) outcomes[i]);
                } else if (op instanceof Expire e) {
                    e.result().complete(null);
                }
            }
        }

        private void expire(Batch b, long cutoff) throws SQLException {
            while (depth > 0) {
                OutboxEntry e = removeOldestIf(cutoff);
                if (e == null) {
                    return;
                }
                b.expiredEntries.add(e);
            }
        }

        /** Removes the oldest message if it was accepted before {@code cutoff}; returns it, or null. */
        private OutboxEntry removeOldestIf(long cutoff) throws SQLException {
            OutboxEntry e;
            long size;
            try (ResultSet r = oldest.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                e = entry(r);
                size = r.getLong(7);
            }
            if (e.acceptedAt().toEpochMilli() >= cutoff) {
                return null;
            }
            deleteRange.setLong(1, e.id());
            deleteRange.setLong(2, e.id());
            try (ResultSet r = deleteRange.executeQuery()) {
                while (r.next()) {
                    // drained: the row is gone
                }
            }
            depth--;
            bytes -= size;
            return e;
        }

        /** Applies the batch's settlements: sorted by id, one DELETE per run of consecutive ids. */
        private void settleAll(Batch b, List<Operation> operations) throws SQLException {
            int n = 0;
            long[] keys = null;
            for (int i = 0; i < operations.size(); i++) {
                if (operations.get(i) instanceof Settle s) {
                    if (keys == null) {
                        keys = new long[operations.size()];
                    }
                    if (s.id() < 0 || s.id() >= MAX_ID) {
                        b.outcomes[i] = Boolean.FALSE; // never an id of ours
                        continue;
                    }
                    keys[n++] = s.id() * OPERATIONS_PER_ID + i; // sort by id, then by order queued
                }
            }
            if (n == 0) {
                return;
            }
            Arrays.sort(keys, 0, n);
            long[] removed = new long[n];
            int start = 0;
            while (start < n) {
                int end = start + 1;
                while (end < n && keys[end] / OPERATIONS_PER_ID - keys[end - 1] / OPERATIONS_PER_ID <= 1) {
                    end++;
                }
                long lo = keys[start] / OPERATIONS_PER_ID;
                long hi = keys[end - 1] / OPERATIONS_PER_ID;
                int found = deleteRange(lo, hi, removed);
                Arrays.sort(removed, 0, found);
                int r = 0;
                for (int k = start; k < end; k++) {
                    long id = keys[k] / OPERATIONS_PER_ID;
                    int op = (int) (keys[k] % OPERATIONS_PER_ID);
                    boolean settled = r < found && removed[r] == id; // a second settlement of one id finds it gone
                    if (settled) {
                        r++;
                        if (((Settle) operations.get(op)).settlement() == Settlement.DELIVERED) {
                            b.delivered++;
                        } else {
                            b.rejected++;
                        }
                    }
                    b.outcomes[op] = settled;
                }
                start = end;
            }
        }

        /** Deletes ids {@code lo..hi}; puts the ids deleted into {@code into}, returns how many. */
        private int deleteRange(long lo, long hi, long[] into) throws SQLException {
            deleteRange.setLong(1, lo);
            deleteRange.setLong(2, hi);
            int found = 0;
            try (ResultSet r = deleteRange.executeQuery()) {
                while (r.next()) {
                    into[found++] = r.getLong(1);
                    depth--;
                    bytes -= r.getLong(2);
                }
            }
            return found;
        }

        private void append(Batch b, int index, Append a, Instant now) throws SQLException {
            while (accounting.isFull(depth, bytes, a.size())) {
                if (limits.fullPolicy() == FullPolicy.REFUSE_NEW) {
                    b.outcomes[index] = accounting.refuseFull(depth, bytes);
                    return;
                }
                flushInserts(b); // the oldest may be among this batch's rows
                b.droppedEntries.add(removeOldestIf(Long.MAX_VALUE));
            }
            long id = nextId++;
            OutboxMessage m = a.message();
            insert.setLong(1, id);
            insert.setInt(2, m.kind() == OutboxMessage.Kind.EVENT ? 0 : 1);
            insert.setString(3, m.deviceId());
            insert.setString(4, m.serviceId());
            insert.setString(5, m.payload());
            insert.setLong(6, now.toEpochMilli());
            insert.setLong(7, a.size());
            insert.addBatch();
            b.insertsQueued++;
            depth++;
            bytes += a.size();
            b.stored++;
            b.outcomes[index] = new OutboxEntry(id, m, now);
        }

        private void flushInserts(Batch b) throws SQLException {
            if (b.insertsQueued > 0) {
                insert.executeBatch();
                b.insertsQueued = 0;
            }
        }

        private void rollback() {
            try {
                insert.clearBatch();
                connection.rollback();
            } catch (SQLException e) {
                LOG.log(Level.ERROR, "outbox " + file + ": rollback failed: " + e.getMessage());
            }
        }

        private void fail(List<Operation> operations, Exception cause) {
            LOG.log(Level.ERROR, "outbox " + file + ": a write of " + operations.size()
                    + " operations failed, nothing of it was stored: " + cause.getMessage());
            String message = "the outbox " + file + " could not store it: " + cause.getMessage();
            for (Operation op : operations) {
                if (op instanceof Append a) {
                    a.result().completeExceptionally(accounting.refuse(RefusalReason.STORE_FAILED, message, cause));
                } else if (op instanceof Settle s) {
                    s.result().completeExceptionally(new IllegalStateException(message, cause));
                } else if (op instanceof Expire e) {
                    e.result().completeExceptionally(new IllegalStateException(message, cause));
                }
            }
        }
    }
}
