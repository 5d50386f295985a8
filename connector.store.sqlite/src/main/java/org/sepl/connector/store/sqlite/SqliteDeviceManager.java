package org.sepl.connector.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;

/**
 * Devices kept in a SQLite database file (the original client's {@code DeviceStore}): id, type, name and the tags
 * in their order, so that device and gateway hashes are the same after a restart.
 * <p>
 * <b>Durability.</b> Every write is one transaction (WAL journal, {@code synchronous=FULL}): when a method returns,
 * the change survives a crash of the process or of the machine. {@link #addAll} writes all devices in one
 * transaction: use it for many devices.
 * <p>
 * <b>Device subclasses.</b> Only what {@link Device} holds is stored; {@link #get} and {@link #devices} return plain
 * {@code Device} objects, so subclass state (and overridden behaviour) does not survive. Keep such state in your own
 * bundle, keyed by device id.
 * <p>
 * <b>Errors.</b> A file in use by another process, not a SQLite database, a damaged one, or one written by a newer
 * version of this bundle fails {@link #open} with an {@link IllegalStateException} naming the file; the file is left
 * untouched (a damaged device list is never replaced by an empty one: that would empty the platform's list too). A
 * failing write (e.g. a full disk) throws {@link IllegalStateException} and changes nothing (the transaction is
 * rolled back); the next write tries afresh.
 * <p>
 * Thread-safe: one connection, one writer at a time. {@link #close()} when done.
 */
public class SqliteDeviceManager implements DeviceManager, AutoCloseable {

    /**
     * This manager's name as an OSGi service ({@link org.sepl.connector.api.DeviceManager#NAME}): what a client
     * configuration's {@code deviceManager} property names to use it.
     */
    public static final String NAME = "sqlite";

    /** The schema this code writes; {@code PRAGMA user_version} of the file. */
    static final int SCHEMA_VERSION = 1;
    /** Files written before outboxes shared this bundle have application_id 0: it stays so. */
    private static final SqliteFile.Schema SCHEMA = new SqliteFile.Schema("device database", 0, SCHEMA_VERSION, "devices",
            // seq keeps the order in which devices were added; an update keeps a device's place
            List.of("CREATE TABLE devices (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                    + "type TEXT NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL)"),
            "it was left as it is, and no device manager is started from it (a client configured with "
            + "deviceManager=sqlite waits for it and keeps the platform's device list as it is). Restore it from a "
            + "backup, or repair it (sqlite3 FILE '.recover' | sqlite3 NEW_FILE, then use NEW_FILE); moving it away "
            + "starts an empty device list, and the platform's list then becomes what your bundles add");
    /** Tags are stored as {@code id:value;id:value}: {@link Device} forbids both separators inside tags. */
    private static final char TAG_SEPARATOR = ';';

    private final Path file;
    private final SqliteFile sqlite;
    private final Connection connection;
    private final Statement statement;
    private boolean closed;

    private SqliteDeviceManager(SqliteFile sqlite, Connection connection) throws SQLException {
        this.file = sqlite.file();
        this.sqlite = sqlite;
        this.connection = connection;
        this.statement = connection.createStatement();
    }

    /**
     * Opens the database, creating the file and its schema if there is no file yet.
     *
     * @throws IllegalStateException naming the file, if it cannot be opened, is in use by another process (its lock
     *                               file {@code FILE.lock} is held), is damaged, or is not a database of this bundle;
     *                               such a file is left untouched
     */
    public static SqliteDeviceManager open(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        SqliteFile sqlite = SqliteFile.open(file, SCHEMA);
        Connection c = null;
        try {
            c = sqlite.connect();
            return new SqliteDeviceManager(sqlite, c);
        } catch (SQLException e) {
            SqliteFile.closeQuietly(c);
            sqlite.close();
            throw new IllegalStateException("cannot open the device database " + sqlite.file() + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized boolean add(Device device) {
        Objects.requireNonNull(device, "device must not be null");
        return write(() -> insert(device) == 1);
    }

    @Override
    public synchronized int addAll(Collection<? extends Device> devices) {
        Objects.requireNonNull(devices, "devices must not be null");
        List<Device> copy = new ArrayList<>(devices.size());
        for (Device d : devices) {
            copy.add(Objects.requireNonNull(d, "devices must not contain null"));
        }
        return write(() -> {
            int added = 0;
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (Device d : copy) {
                    bind(insert, d);
                    added += insert.executeUpdate();
                }
            }
            return added;
        });
    }

    private static final String INSERT = "INSERT OR IGNORE INTO devices (id, type, name, tags) VALUES (?, ?, ?, ?)";

    private int insert(Device device) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bind(insert, device);
            return insert.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Device d) throws SQLException {
        statement.setString(1, d.id());
        statement.setString(2, d.type());
        statement.setString(3, d.name());
        statement.setString(4, String.join(String.valueOf(TAG_SEPARATOR), d.tagsAsStrings()));
    }

    @Override
    public synchronized boolean update(Device device) {
        Objects.requireNonNull(device, "device must not be null");
        return write(() -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE devices SET type = ?, name = ?, tags = ? WHERE id = ?")) {
                update.setString(1, device.type());
                update.setString(2, device.name());
                update.setString(3, String.join(String.valueOf(TAG_SEPARATOR), device.tagsAsStrings()));
                update.setString(4, device.id());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public synchronized boolean remove(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        return write(() -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM devices WHERE id = ?")) {
                delete.setString(1, deviceId);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public synchronized Optional<Device> get(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        return read(() -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, type, name, tags FROM devices WHERE id = ?")) {
                select.setString(1, deviceId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(device(rows)) : Optional.<Device>empty();
                }
            }
        });
    }

    @Override
    public synchronized Collection<Device> devices() {
        return read(() -> {
            List<Device> all = new ArrayList<>();
            try (Statement select = connection.createStatement();
                    ResultSet rows = select.executeQuery("SELECT id, type, name, tags FROM devices ORDER BY seq")) {
                while (rows.next()) {
                    all.add(device(rows));
                }
            }
            return List.copyOf(all);
        });
    }

    private static Device device(ResultSet row) throws SQLException {
        Device d = new Device(row.getString(1), row.getString(2), row.getString(3));
        String tags = row.getString(4);
        if (!tags.isEmpty()) {
            for (String tag : tags.split(String.valueOf(TAG_SEPARATOR), -1)) {
                int colon = tag.indexOf(':');
                d.addTag(tag.substring(0, colon), tag.substring(colon + 1));
            }
        }
        return d;
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs one write in its own transaction; on failure rolls back and reports the file. */
    private <T> T write(Work<T> work) {
        ensureOpen();
        try {
            Transactions.begin(statement);
            try {
                T result = work.run();
                Transactions.commit(statement);
                return result;
            } catch (SQLException | RuntimeException e) {
                SQLException rollbackFailed = Transactions.rollback(statement);
                if (rollbackFailed != null) {
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("device database " + file + ": write failed, nothing changed: "
                    + (SqliteErrors.isDiskFull(e) ? "the disk is full (" + e.getMessage() + ")" : e.getMessage()), e);
        }
    }

    private <T> T read(Work<T> work) {
        ensureOpen();
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("device database " + file + ": read failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on the connection, outside any transaction (tests: a size limit as a small disk sets). */
    synchronized void onConnection(SqlWork work) throws SQLException {
        ensureOpen();
        work.run(connection);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("device database " + file + " is closed");
        }
    }

    /** Closes the database and releases its lock; later calls fail with {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            SqliteFile.closeQuietly(statement);
            SqliteFile.closeQuietly(connection);
            sqlite.close();
        }
    }

    @Override
    public String toString() {
        return "SqliteDeviceManager[" + file + "]";
    }
}
