package org.sepl.connector.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

import org.sepl.connector.api.outbox.FullPolicy;
import org.sepl.connector.api.outbox.Outbox.Settlement;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.RefusalReason;
import org.sepl.connector.store.support.OutboxAccounting;

/**
 * The writer thread of a {@link SqliteOutbox}: owns the write connection, drains the queue, one transaction per batch,
 * completes stages after the commit. A batch runs expiry, then its settlements (sorted by id, one
 * {@code DELETE ... BETWEEN} per run of consecutive ids: a client settles in about the order it appended), then its
 * appends (one native batch of INSERTs). A settlement never names a message of its own batch (an id is known only once
 * its append's commit completed), so doing settlements first changes no outcome; it frees room before the appends are
 * checked against the bounds.
 * <p>
 * <b>A failed write</b> is rolled back whole, and nothing of it is reported done. When the disk is full the writer
 * first moves the write-ahead log into the database and truncates it ({@code wal_checkpoint(TRUNCATE)}: the log can
 * hold most of a small disk) and tries again; then tries the batch without its appends, so that settlements and expiry,
 * which free room, still go through while new messages are refused ({@link RefusalReason#DISK_FULL}). Nothing else is
 * kept from a failure: the next batch tries afresh, so writing resumes by itself once the disk has room.
 * {@link WriteFailures} logs an episode of failures in a few lines.
 * <p>
 * About 500 lines: every step of a batch (expiry, settlements, appends, the bounds, the retries after a failure) works
 * on the one state of the write connection (its statements, the depth, bytes and next id of the open transaction);
 * split, that state would be passed around.
 */
final class OutboxWriter implements Runnable {

    /** Settlements are sorted by {@code id * OPERATIONS_PER_ID + position in the batch}. */
    private static final long OPERATIONS_PER_ID = SqliteOutbox.BATCH_MAX;
    /** Ids at or above this cannot be sorted that way; no outbox reaches them (2^51 messages). */
    private static final long MAX_ID = Long.MAX_VALUE / OPERATIONS_PER_ID;
    /** Page cache of each connection: 8 MiB (negative: KiB), enough for the rows of a full batch and the index. */
    static final int CACHE_SIZE_PRAGMA = -8192;

    // ---- operations queued to the writer ------------------------------------------------------------------------

    sealed interface Operation permits Append, Settle, Expire, Maintain, Close {
    }

    record Append(OutboxMessage message, long size, CompletableFuture<OutboxEntry> result) implements Operation {
    }

    record Settle(long id, Settlement settlement, CompletableFuture<Boolean> result) implements Operation {
    }

    /** Makes the writer run expiry now (it does at every batch). */
    record Expire(CompletableFuture<Void> result) implements Operation {
    }

    /** Runs on the write connection between batches, outside any transaction (tests: a size limit). */
    record Maintain(SqlWork work, CompletableFuture<Void> result) implements Operation {
    }

    record Close() implements Operation {
    }

    /** Depth and bytes as committed. */
    record Totals(long depth, long bytes) {
    }

    /** An append that did not fit under {@link FullPolicy#REFUSE_NEW}: refused (and counted) once the batch is final. */
    private record Full(long depth, long bytes) {
    }

    private final SqliteFile sqlite;
    private final BlockingQueue<Operation> queue;
    private final OutboxLimits limits;
    private final Clock clock;
    private final OutboxAccounting accounting;
    private final WriteFailures failures;
    private Connection connection;
    private Statement statement;
    private PreparedStatement insert;
    private PreparedStatement deleteRange;
    private PreparedStatement oldest;
    private long nextId;
    /** Depth and bytes as written by this transaction (equal to {@link #committed} between batches). */
    private long depth;
    private long bytes;
    private volatile Totals committed;
    volatile boolean closed;

    OutboxWriter(SqliteFile sqlite, BlockingQueue<Operation> queue, OutboxLimits limits, Clock clock,
            OutboxAccounting accounting, WriteFailures failures) throws SQLException {
        this.sqlite = sqlite;
        this.queue = queue;
        this.limits = limits;
        this.clock = clock;
        this.accounting = accounting;
        this.failures = failures;
        connect();
    }

    /** Opens the write connection and reads what is committed. */
    private void connect() throws SQLException {
        Connection c = sqlite.connect();
        try {
            Statement s = c.createStatement();
            s.execute("PRAGMA cache_size = " + CACHE_SIZE_PRAGMA);
            long d;
            long b;
            long next;
            try (ResultSet r = s.executeQuery("SELECT count(*), coalesce(sum(size), 0), coalesce(max(id), 0) FROM outbox")) {
                r.next();
                d = r.getLong(1);
                b = r.getLong(2);
                next = r.getLong(3) + 1;
            }
            try (ResultSet r = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) {
                if (r.next()) {
                    next = Math.max(next, r.getLong(1) + 1);
                }
            }
            insert = c.prepareStatement("INSERT INTO outbox (id, kind, device_id, service_id, payload, "
                    + "accepted_at, size) VALUES (?, ?, ?, ?, ?, ?, ?)");
            deleteRange = c.prepareStatement("DELETE FROM outbox WHERE id BETWEEN ? AND ? RETURNING id, size");
            oldest = c.prepareStatement("SELECT " + SqliteOutbox.COLUMNS + ", size FROM outbox ORDER BY id LIMIT 1");
            connection = c;
            statement = s;
            depth = d;
            bytes = b;
            nextId = next;
            committed = new Totals(d, b);
        } catch (SQLException | RuntimeException e) {
            SqliteFile.closeQuietly(c);
            throw e;
        }
    }

    /** What is committed now. */
    Totals committed() {
        return committed;
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
                queue.drainTo(batch, SqliteOutbox.BATCH_MAX - 1);
                close = batch.get(batch.size() - 1) instanceof Close;
                write(batch);
            }
        } finally {
            closed = true;
            failures.closing();
            SqliteFile.closeQuietly(connection);
        }
    }

    /** What a batch did, reported only once its transaction committed. */
    private static final class Batch {
        final Object[] outcomes;
        long stored;
        long delivered;
        long rejected;
        final List<OutboxEntry> droppedEntries = new ArrayList<>(0);
        final List<OutboxEntry> expiredEntries = new ArrayList<>(0);
        int insertsQueued;
        /** Why the batch was not committed; null if it was. */
        Exception failure;

        Batch(int size) {
            outcomes = new Object[size];
        }
    }

    private void write(List<Operation> operations) {
        maintain(operations);
        if (!hasWrites(operations)) {
            complete(operations, new Batch(operations.size()));
            return;
        }
        Batch b = attempt(operations, true);
        if (b.failure != null && SqliteErrors.isDiskFull(b.failure) && checkpoint()) {
            b = attempt(operations, true); // the log's room is the database's again
        }
        if (b.failure == null) {
            failures.succeeded(b.stored > 0);
            report(b);
            complete(operations, b);
            return;
        }
        Exception cause = b.failure;
        boolean full = SqliteErrors.isDiskFull(cause);
        String why = failures.failed(cause, full, operations.size());
        Batch rest = hasAppends(operations) && hasOthers(operations) ? attempt(operations, false) : null;
        if (rest != null && rest.failure == null) {
            // settlements and expiry went through (they need little room, and free some); the appends did not
            report(rest);
            refuseAppends(operations, rest.outcomes, cause, full, why);
            complete(operations, rest);
            return;
        }
        fail(operations, cause, full, why);
    }

    /** Tries a batch in one transaction, with or without its appends; on failure rolls it back whole. */
    private Batch attempt(List<Operation> operations, boolean withAppends) {
        long firstId = nextId;
        Batch b = new Batch(operations.size());
        try {
            Transactions.begin(statement);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            expire(b, SqliteOutbox.cutoffMillis(now, limits));
            settleAll(b, operations);
            if (withAppends) {
                for (int i = 0; i < operations.size(); i++) {
                    if (operations.get(i) instanceof Append a) {
                        append(b, i, a, now);
                    }
                }
                flushInserts(b);
            }
            Transactions.commit(statement); // synchronous=FULL: synced to disk before anyone is told
            committed = new Totals(depth, bytes);
        } catch (SQLException | RuntimeException e) {
            rollback();
            nextId = firstId;
            depth = committed.depth();
            bytes = committed.bytes();
            b.failure = e;
        }
        return b;
    }

    private void report(Batch b) {
        accounting.stored(b.stored);
        accounting.settled(Settlement.DELIVERED, b.delivered);
        accounting.settled(Settlement.REJECTED, b.rejected);
        // listeners first: whoever waits for a dropped message learns it before the append that dropped it completes
        accounting.removed(b.expiredEntries, OutboxListener.Reason.EXPIRED);
        accounting.removed(b.droppedEntries, OutboxListener.Reason.DROPPED);
    }

    private void complete(List<Operation> operations, Batch b) {
        Object[] outcomes = b.outcomes;
        for (int i = 0; i < operations.size(); i++) {
            Operation op = operations.get(i);
            if (op instanceof Append a) {
                if (outcomes[i] instanceof OutboxEntry entry) {
                    a.result().complete(entry);
                } else if (outcomes[i] instanceof Full f) {
                    a.result().completeExceptionally(accounting.refuseFull(f.depth(), f.bytes()));
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

    private static boolean hasWrites(List<Operation> operations) {
        return operations.stream().anyMatch(op -> !(op instanceof Maintain) && !(op instanceof Close));
    }

    private static boolean hasAppends(List<Operation> operations) {
        return operations.stream().anyMatch(op -> op instanceof Append);
    }

    private static boolean hasOthers(List<Operation> operations) {
        return operations.stream().anyMatch(op -> op instanceof Settle || op instanceof Expire);
    }

    /** Runs the batch's maintenance work first, each outside a transaction. */
    private void maintain(List<Operation> operations) {
        for (Operation op : operations) {
            if (op instanceof Maintain m) {
                try {
                    m.work().run(connection);
                    m.result().complete(null);
                } catch (SQLException | RuntimeException e) {
                    m.result().completeExceptionally(e);
                }
            }
        }
    }

    /**
     * Copies the write-ahead log into the database and truncates it, so that the room the log took is free again
     * (SQLite does so by itself only once the log holds 1,000 pages, more than a small disk may have).
     *
     * @return whether the log is empty now (then a write may fit where it did not)
     */
    private boolean checkpoint() {
        try (ResultSet r = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return r.next() && r.getInt(1) == 0; // 1: a reader was in the way, the log was not truncated
        } catch (SQLException e) {
            return false;
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
            e = SqliteOutbox.entry(r);
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
                b.outcomes[index] = new Full(depth, bytes);
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

    /**
     * Ends the failed transaction. Should that fail too (a transaction may still be open), the connection is
     * replaced: closing it rolls back whatever it had open.
     */
    private void rollback() {
        try {
            insert.clearBatch();
        } catch (SQLException e) {
            // the batch is dropped with the connection below, if it comes to that
        }
        SQLException failed = Transactions.rollback(statement);
        if (failed == null) {
            return;
        }
        failures.note("rollback failed (" + failed.getMessage() + "); reopening the write connection");
        Connection old = connection;
        try {
            connect();
        } catch (SQLException | RuntimeException e) {
            failures.note("cannot reopen the write connection (" + e.getMessage() + "); trying again at the next write");
            return; // the old one stays; its next BEGIN fails, and the next write tries again
        }
        SqliteFile.closeQuietly(old);
    }

    private void refuseAppends(List<Operation> operations, Object[] outcomes, Exception cause, boolean full,
            String why) {
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i) instanceof Append) {
                outcomes[i] = refusal(cause, full, why);
            }
        }
    }

    private Throwable refusal(Exception cause, boolean full, String why) {
        return accounting.refuse(full ? RefusalReason.DISK_FULL : RefusalReason.STORE_FAILED,
                "the outbox " + sqlite.file() + " could not store it: " + why, cause);
    }

    private void fail(List<Operation> operations, Exception cause, boolean full, String why) {
        String message = "the outbox " + sqlite.file() + " could not store it: " + why;
        for (Operation op : operations) {
            if (op instanceof Append a) {
                a.result().completeExceptionally(refusal(cause, full, why));
            } else if (op instanceof Settle s) {
                s.result().completeExceptionally(new IllegalStateException(message, cause));
            } else if (op instanceof Expire e) {
                e.result().completeExceptionally(new IllegalStateException(message, cause));
            }
        }
    }
}
