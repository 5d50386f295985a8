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
import java.util.Arrays;
import java.util.List;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the SQLite file of one of this bundle's stores, and refuses, without writing a byte to it, a file it cannot
 * trust: not SQLite, corrupt ({@code PRAGMA quick_check}), of a newer schema, or another application's database
 * (another {@code application_id}, or tables but no schema of ours). Only then is the journal switched to WAL and
 * a missing schema created. Connections use {@code synchronous=FULL}: a commit is synced to disk before it returns.
 */
final class SqliteFile {

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * What a store keeps in its file.
     *
     * @param what          names the store in messages ("device database", "outbox")
     * @param applicationId {@code PRAGMA application_id} of its files (0 for files written before ids were used)
     * @param version       {@code PRAGMA user_version} this code writes
     * @param table         a table every file of this store has
     * @param create        statements that create the schema in an empty file
     */
    record Schema(String what, int applicationId, int version, String table, List<String> create) {
    }

    private final Path file;
    private final Schema schema;
    private final SQLiteDataSource source;

    private SqliteFile(Path file, Schema schema) {
        this.file = file;
        this.schema = schema;
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        this.source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
    }

    /**
     * Checks the file (creating it and its schema if there is none) and returns an open connection to it.
     *
     * @throws IllegalStateException naming the file, if it cannot be opened or is not one of this store's files
     */
    static SqliteFile open(Path file, Schema schema) {
        Path absolute = file.toAbsolutePath();
        SqliteFile sqlite = new SqliteFile(absolute, schema);
        sqlite.checkHeader();
        Connection c = null;
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            c = sqlite.source.getConnection();
            sqlite.prepare(c);
            c.close();
            return sqlite;
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot open the " + schema.what() + " " + absolute + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /** A new connection to the checked file (WAL, {@code synchronous=FULL}). */
    Connection connect() throws SQLException {
        return source.getConnection();
    }

    /** Refuses files that are not SQLite before the driver sees them (it would treat some as empty databases). */
    private void checkHeader() {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(SQLITE_HEADER.length);
            if (header.length > 0 && !Arrays.equals(header, SQLITE_HEADER)) {
                throw refused("is not a SQLite database");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the " + schema.what() + " " + file + ": " + e.getMessage(), e);
        }
    }

    private IllegalStateException refused(String why) {
        return new IllegalStateException("the " + schema.what() + " " + file + " " + why
                + "; it was left as it is (move it away to start with an empty store)");
    }

    private void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // reads only, until the file is known to be ours
            String check = queryString(s, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw refused("is corrupt (" + check + ")");
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
                throw refused("has schema version " + version + ", newer than this bundle's " + schema.version());
            }
            boolean empty = version == 0 && applicationId == 0 && tables == 0;
            if (!empty && (applicationId != schema.applicationId() || version == 0 || !hasTable)) {
                throw refused("is not sepl-connector's " + schema.what() + " (application_id " + applicationId
                        + ", user_version " + version + ", " + tables + " tables)");
            }
            queryString(s, "PRAGMA journal_mode = WAL"); // persistent: later connections use WAL too
            if (version == 0) {
                c.setAutoCommit(false);
                try {
                    for (String statement : schema.create()) {
                        s.executeUpdate(statement);
                    }
                    s.executeUpdate("PRAGMA application_id = " + schema.applicationId());
                    s.executeUpdate("PRAGMA user_version = " + schema.version());
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
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
