package org.sepl.connector.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the SQLite file of one of this bundle's stores, and refuses, without writing a byte to it, a file it cannot
 * trust: in use by another process ({@link StoreLock}), not SQLite, damaged ({@code PRAGMA quick_check}), of a newer
 * schema, or another application's database (another {@code application_id}, or tables but no schema of ours). Only
 * then is the journal switched to WAL and a missing schema created. Connections use {@code synchronous=FULL}: a commit
 * is synced to disk before it returns. The store's lock is held until {@link #close()}.
 */
final class SqliteFile implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SqliteFile.class.getName());
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * What a store keeps in its file.
     *
     * @param what          names the store in messages ("device database", "outbox")
     * @param applicationId {@code PRAGMA application_id} of its files (0 for files written before ids were used)
     * @param version       {@code PRAGMA user_version} this code writes
     * @param table         a table every file of this store has
     * @param create        statements that create the schema in an empty file
     * @param ifLost        what an operator can do about a damaged or unreadable file (ends the refusal's message)
     */
    record Schema(String what, int applicationId, int version, String table, List<String> create, String ifLost) {
    }

    private final Path file;
    private final Schema schema;
    private final SQLiteDataSource source;
    private final StoreLock lock;

    private SqliteFile(Path file, Schema schema, StoreLock lock) {
        this.file = file;
        this.schema = schema;
        this.lock = lock;
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        this.source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
    }

    /**
     * Takes the file's lock, checks the file (creating it and its schema if there is none).
     *
     * @throws RefusedFileException  naming the file, if it is in use, damaged, unreadable or not this store's file
     * @throws IllegalStateException naming the file, if it cannot be opened for another reason (e.g. a full disk)
     */
    static SqliteFile open(Path file, Schema schema) {
        return open(file, schema, null);
    }

    /**
     * As {@link #open(Path, Schema)}, but a damaged or unreadable file is moved aside ({@link SetAside}, logged as an
     * ERROR naming both paths) and an empty one is made in its place. Files refused for other reasons stay refused.
     *
     * @param now names the file moved aside
     */
    static SqliteFile openSettingAsideLost(Path file, Schema schema, Instant now) {
        return open(file, schema, now);
    }

    private static SqliteFile open(Path file, Schema schema, Instant setAsideAt) {
        Path absolute = file.toAbsolutePath();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the " + schema.what() + " " + absolute + ": " + e, e);
        }
        StoreLock lock = StoreLock.acquire(absolute, schema.what());
        try {
            SqliteFile sqlite = new SqliteFile(absolute, schema, lock);
            try {
                sqlite.check();
            } catch (RefusedFileException e) {
                if (setAsideAt == null || !e.problem().lost()) {
                    throw e;
                }
                Path aside;
                try {
                    aside = SetAside.move(absolute, setAsideAt);
                } catch (IOException moveFailed) {
                    e.addSuppressed(moveFailed);
                    throw new RefusedFileException(absolute, e.problem(), e.getMessage() + "; moving it aside failed: "
                            + moveFailed, e);
                }
                LOG.log(System.Logger.Level.ERROR, "The " + schema.what() + " " + absolute + " cannot be used ("
                        + e.getMessage() + "). Moved it aside to " + aside + " (with its -wal and -shm files, if any) "
                        + "and started an empty " + schema.what() + " in its place: what the file held stays in the "
                        + "moved file and is not used. Keep it for inspection or repair (sqlite3 " + aside + " .recover)");
                sqlite.check();
            }
            return sqlite;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** A new connection to the checked file (WAL, {@code synchronous=FULL}). */
    Connection connect() throws SQLException {
        return source.getConnection();
    }

    /** Releases the file's lock; the store closes its connections first. Idempotent. */
    @Override
    public void close() {
        lock.close();
    }

    private void check() {
        checkHeader();
        Connection c = null;
        try {
            c = source.getConnection();
            prepare(c);
            c.close();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            if (SqliteErrors.isDamaged(e)) {
                throw refused(RefusedFileException.Problem.DAMAGED, "is corrupt (" + e.getMessage() + ")", e);
            }
            throw new IllegalStateException("cannot open the " + schema.what() + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses files that are not SQLite before the driver sees them (it would treat some as empty databases). A
     * header of zeros, or cut short, is damage (a file being written when the power went); anything else is some
     * other file, which the path may name by mistake.
     */
    private void checkHeader() {
        if (!Files.exists(file)) {
            return;
        }
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            header = in.readNBytes(SQLITE_HEADER.length);
        } catch (IOException e) {
            throw refused(RefusedFileException.Problem.UNREADABLE, "cannot be read (" + e + ")", e);
        }
        if (header.length == 0 || Arrays.equals(header, SQLITE_HEADER)) {
            return;
        }
        boolean zeros = true;
        for (byte b : header) {
            zeros &= b == 0;
        }
        boolean cutShort = header.length < SQLITE_HEADER.length
                && Arrays.equals(header, Arrays.copyOf(SQLITE_HEADER, header.length));
        if (zeros || cutShort) {
            throw refused(RefusedFileException.Problem.DAMAGED, "is damaged (its SQLite header is "
                    + (zeros ? "zeros" : "cut short") + ")", null);
        }
        throw refused(RefusedFileException.Problem.NOT_SQLITE, "is not a SQLite database", null);
    }

    private RefusedFileException refused(RefusedFileException.Problem problem, String why, Throwable cause) {
        String advice = problem.lost() ? schema.ifLost()
                : "it was left as it is (move it away to start with an empty " + schema.what() + ")";
        return new RefusedFileException(file, problem, "the " + schema.what() + " " + file + " " + why + "; " + advice,
                cause);
    }

    private void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // reads only, until the file is known to be ours
            String check = queryString(s, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw refused(RefusedFileException.Problem.DAMAGED, "is corrupt (quick_check: " + check + ")", null);
            }
            int version = queryInt(s, "PRAGMA user_version");
            int applicationId = queryInt(s, "PRAGMA application_id");
            int tables = queryInt(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
            boolean hasTable;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '"
                    + schema.table() + "'")) {
                hasTable = r.next() && r.getInt(1) == 1;
            }
            if (version > schema.version() && applicationId == schema.applicationId()) {
                throw refused(RefusedFileException.Problem.NEWER_SCHEMA, "has schema version " + version
                        + ", newer than this bundle's " + schema.version(), null);
            }
            boolean empty = version == 0 && applicationId == 0 && tables == 0;
            if (!empty && (applicationId != schema.applicationId() || version == 0 || !hasTable)) {
                throw refused(RefusedFileException.Problem.FOREIGN, "is not sepl-connector's " + schema.what()
                        + " (application_id " + applicationId + ", user_version " + version + ", " + tables
                        + " tables)", null);
            }
            queryString(s, "PRAGMA journal_mode = WAL"); // persistent: later connections use WAL too
            if (version == 0) {
                Transactions.begin(s);
                try {
                    for (String statement : schema.create()) {
                        s.executeUpdate(statement);
                    }
                    s.executeUpdate("PRAGMA application_id = " + schema.applicationId());
                    s.executeUpdate("PRAGMA user_version = " + schema.version());
                    Transactions.commit(s);
                } catch (SQLException e) {
                    Transactions.rollback(s);
                    throw e;
                }
            }
        }
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : "no answer";
        }
    }

    private static int queryInt(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing more to do
            }
        }
    }
}
