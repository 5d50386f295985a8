package org.sepl.connector.launcher.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import org.sepl.connector.api.Device;
import org.sepl.connector.launcher.DeviceMigration;
import org.sepl.connector.launcher.ImportException;
import org.sepl.connector.store.sqlite.SqliteDeviceManager;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * {@link DeviceMigration} on the framework's connector.store.sqlite bundle: reads the Python {@code DeviceStore}
 * with sqlite-jdbc (read only), checks each row with {@link Device}'s rules, writes with {@link SqliteDeviceManager}.
 * Loaded by the launcher's {@code BundleSideClassLoader}, never from the launcher's own class path.
 */
public final class SqliteDeviceMigration implements DeviceMigration {

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private List<Device> devices;
    private Path source;

    @Override
    public Summary read(Path pythonDatabase) {
        source = pythonDatabase;
        checkHeader(pythonDatabase);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + pythonDatabase.toAbsolutePath());
        List<Device> read = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement select = connection.createStatement();
                // rowid order is the order the Python client inserted them (its "SELECT *" returns that order)
                ResultSet rows = select.executeQuery("SELECT id, type, name, tags FROM devices ORDER BY rowid")) {
            int row = 0;
            HashSet<String> ids = new HashSet<>();
            while (rows.next()) {
                row++;
                Device device = device(row, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4));
                if (!ids.add(device.id())) {
                    throw rowError(row, device.id(), "the id appears twice");
                }
                read.add(device);
            }
        } catch (SQLException e) {
            throw new ImportException(pythonDatabase + ": cannot read table devices(id, type, name, tags): "
                    + e.getMessage(), e);
        }
        devices = List.copyOf(read);
        return new Summary(devices.size(), Device.gatewayHash(devices));
    }

    private Device device(int row, String id, String type, String name, String tags) {
        Device device;
        try {
            device = new Device(id, type, name);
        } catch (RuntimeException e) {
            throw rowError(row, id, e.getMessage());
        }
        if (tags == null || tags.isEmpty()) {
            return device;
        }
        for (String tag : tags.split(";", -1)) {
            int colon = tag.indexOf(':');
            if (colon < 0) {
                throw rowError(row, id, "tag '" + tag + "' is not key:value");
            }
            String key = tag.substring(0, colon);
            String value = tag.substring(colon + 1);
            try {
                if (!device.addTag(key, value)) {
                    throw rowError(row, id, "tag '" + key + "' appears twice");
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                throw rowError(row, id, "invalid tag '" + tag + "': " + e.getMessage());
            }
        }
        return device;
    }

    private ImportException rowError(int row, String id, String problem) {
        return new ImportException(source + ": row " + row + " of table devices (id '" + id + "'): " + problem);
    }

    private static void checkHeader(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ImportException(file + ": no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!Arrays.equals(in.readNBytes(SQLITE_HEADER.length), SQLITE_HEADER)) {
                throw new ImportException(file + ": not a SQLite database");
            }
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(Path deviceDatabase) {
        if (devices == null) {
            throw new IllegalStateException("read() first");
        }
        boolean existed = Files.exists(deviceDatabase);
        boolean written = false;
        try (SqliteDeviceManager store = open(deviceDatabase)) {
            List<Device> present = List.copyOf(store.devices());
            if (present.isEmpty()) {
                store.addAll(devices);
            } else if (!new HashSet<>(present).equals(new HashSet<>(devices))) {
                throw new ImportException(deviceDatabase + " already holds " + present.size() + " other device"
                        + (present.size() == 1 ? "" : "s") + "; nothing was changed (move it away to import)");
            }
            written = true;
        } catch (IllegalStateException e) {
            throw new ImportException(deviceDatabase + ": cannot write the devices: " + e.getMessage(), e);
        } finally {
            if (!written && !existed) {
                deleteQuietly(deviceDatabase);
            }
        }
    }

    private static SqliteDeviceManager open(Path file) {
        try {
            return SqliteDeviceManager.open(file);
        } catch (IllegalStateException e) {
            throw new ImportException(e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path database) {
        for (String suffix : new String[] { "", "-wal", "-shm" }) {
            try {
                Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
            } catch (IOException e) {
                // best effort: an empty database is harmless
            }
        }
    }
}
