package org.sepl.connector.itests.soak;

import java.nio.file.Path;
import java.util.Collection;

import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.impl.ClientAssembly;
import org.sepl.connector.itests.soak.SoakProtocol.Report;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.store.sqlite.SqliteDeviceManager;

/**
 * The soak gateway's device managers, swapped as OSGi swaps them when the SQLite store bundle stops and starts: the
 * SQLite manager (ranking 10, its file reopened each time it comes back) and an in-memory one (ranking 0). On each
 * swap to memory a fresh {@link InMemoryDeviceManager} takes the place of the last, so the client copies the SQLite
 * devices into an empty one: the in-memory manager is a copy of the SQLite one at that moment. The gateway's order
 * loop alone swaps; {@link #current()} may be read from any thread.
 */
final class DeviceManagerSwap implements AutoCloseable {

    static final String SQLITE = "sqlite";
    static final String MEMORY = "memory";
    private static final int SQLITE_RANKING = 10;
    private static final int MEMORY_RANKING = 0;

    private final Path file;
    private final ReportLines reports;
    private ClientAssembly assembly;
    private volatile InMemoryDeviceManager memory = new InMemoryDeviceManager();
    private volatile SqliteDeviceManager sqlite;

    /** Opens the SQLite file and adds {@code initial} devices it lacks (the first process starts with an empty file). */
    DeviceManagerSwap(Path file, Collection<Device> initial, ReportLines reports) {
        this.file = file;
        this.reports = reports;
        sqlite = SqliteDeviceManager.open(file);
        for (Device d : initial) {
            sqlite.add(d);
        }
    }

    /** The manager to give the client's builder: the in-memory one, as connector.store.memory's service. */
    DeviceManager first() {
        return memory;
    }

    /** Adds SQLite as the better manager, as when the store bundle starts after the memory one. */
    void attach(ClientAssembly assembly) {
        this.assembly = assembly;
        assembly.deviceManagerAdded(sqlite, SQLITE, SQLITE_RANKING);
    }

    /** The manager this swap made current (the client takes it over on its own lane a moment later). */
    DeviceManager current() {
        return sqlite != null ? sqlite : memory;
    }

    /** SQLite to a fresh in-memory copy, or back to SQLite reopened; reports which is in use now. */
    void swap() {
        if (sqlite != null) {
            toMemory();
        } else {
            toSqlite();
        }
    }

    /** Makes SQLite the manager in use if it is not. */
    void ensureSqlite() {
        if (sqlite == null) {
            toSqlite();
        }
    }

    private void toMemory() {
        InMemoryDeviceManager fresh = new InMemoryDeviceManager();
        assembly.deviceManagerRemoved(memory); // not in use: no hand-over
        memory = fresh;
        assembly.deviceManagerAdded(fresh, MEMORY, MEMORY_RANKING);
        SqliteDeviceManager going = sqlite;
        sqlite = null;
        assembly.deviceManagerRemoved(going); // reads its devices now, hands them to the fresh one
        going.close(); // as the store bundle's deactivation does
        reports.report(Report.SWAPPED, MEMORY);
    }

    private void toSqlite() {
        sqlite = SqliteDeviceManager.open(file);
        assembly.deviceManagerAdded(sqlite, SQLITE, SQLITE_RANKING);
        reports.report(Report.SWAPPED, SQLITE);
    }

    @Override
    public void close() {
        if (sqlite != null) {
            sqlite.close();
        }
    }
}
