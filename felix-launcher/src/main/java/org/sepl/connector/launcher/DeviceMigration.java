package org.sepl.connector.launcher;

import java.nio.file.Path;

/**
 * Copies the devices of a Python client's {@code DeviceStore} database into the SQLite device manager's database.
 * <p>
 * The implementation ({@code org.sepl.connector.launcher.sqlite.SqliteDeviceMigration}) runs against the classes of
 * the framework's own {@code connector.store.sqlite} bundle (and, through it, connector.api and sqlite-jdbc), loaded
 * by {@link BundleSideClassLoader}: the launcher does not carry a second copy of SQLite. Only this interface, the
 * launcher's {@link ImportException} and JDK types cross between the two.
 */
public interface DeviceMigration {

    /** Name of the implementation, loaded with {@link BundleSideClassLoader}. */
    String IMPLEMENTATION = "org.sepl.connector.launcher.sqlite.SqliteDeviceMigration";

    /**
     * Reads and checks every device of the Python database (table {@code devices(id, type, name, tags)}, tags
     * {@code key:value} joined by {@code ;}), with the rules of connector.api's {@code Device}.
     *
     * @return how many devices, and their gateway hash (the one the platform holds if nothing changed since)
     * @throws ImportException naming the file and the row of a bad device, or why the file cannot be read
     */
    Summary read(Path pythonDatabase);

    /**
     * Writes the devices {@link #read} returned into the device manager's database (created if missing), in one
     * transaction. A database that already holds exactly these devices is left as it is.
     *
     * @throws ImportException if the database holds other devices (nothing is changed) or cannot be written
     */
    void write(Path deviceDatabase);

    /** What was read. */
    record Summary(int devices, String gatewayHash) {
    }
}
