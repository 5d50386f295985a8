package org.sepl.connector.store.sqlite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.testkit.DeviceManagerContract;

/** The shared DeviceManager contract, on a fresh database file per test. */
class SqliteDeviceManagerContractTest extends DeviceManagerContract {

    @TempDir
    Path dir;
    private final List<SqliteDeviceManager> opened = new ArrayList<>();

    @Override
    protected DeviceManager manager() {
        SqliteDeviceManager m = SqliteDeviceManager.open(dir.resolve("devices-" + opened.size() + ".db"));
        opened.add(m);
        return m;
    }

    @AfterEach
    void close() {
        opened.forEach(SqliteDeviceManager::close);
    }
}
