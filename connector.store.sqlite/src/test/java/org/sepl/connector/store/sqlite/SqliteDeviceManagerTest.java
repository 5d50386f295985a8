package org.sepl.connector.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.Device;

/** What only a persistent store must do: survive restarts and crashes, and refuse files it cannot trust. */
class SqliteDeviceManagerTest {

    @TempDir
    Path dir;

    @Test
    void devicesAndHashesAreTheSameAfterReopening() {
        Path file = dir.resolve("devices.db");
        List<Device> added = new ArrayList<>();
        try (SqliteDeviceManager store = SqliteDeviceManager.open(file)) {
            for (int i = 0; i < 100; i++) {
                Device d = new Device("d" + i, "iot#sensor", "Sensor " + i, Map.of("room", "r" + i % 7));
                d.addTag("empty", "");
                added.add(d);
            }
            store.addAll(added);
            Device changed = added.get(3);
            changed.changeTag("room", "attic");
            store.update(changed);
            store.remove("d99");
        }
        added.remove(99);
        try (SqliteDeviceManager store = SqliteDeviceManager.open(file)) {
            List<Device> reopened = new ArrayList<>(store.devices());
            assertEquals(added.size(), reopened.size());
            for (int i = 0; i < added.size(); i++) {
                assertEquals(added.get(i).hash(), reopened.get(i).hash(), "device " + i);
            }
            assertEquals(Device.gatewayHash(added), Device.gatewayHash(reopened));
            assertEquals("attic", store.get("d3").orElseThrow().tag("room"));
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedNamingItAndLeftUntouched() throws Exception {
        Path file = dir.resolve("devices.db");
        byte[] content = "these are my notes, not a database".getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteDeviceManager.open(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a SQLite database"), e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void aCorruptDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("devices.db");
        try (SqliteDeviceManager store = SqliteDeviceManager.open(file)) {
            List<Device> many = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                many.add(new Device("device-" + i, "iot#sensor", "A sensor with a long name " + i));
            }
            store.addAll(many);
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 4096 + 100; i < Math.min(bytes.length, 3 * 4096); i++) {
            bytes[i] = (byte) 0xA5; // scribble over pages after the first
        }
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteDeviceManager.open(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    @Test
    void aDatabaseOfANewerSchemaIsRefused() throws Exception {
        Path file = dir.resolve("devices.db");
        SqliteDeviceManager.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = 99");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteDeviceManager.open(file));
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }

    @Test
    void aClosedStoreSaysSo() {
        SqliteDeviceManager store = SqliteDeviceManager.open(dir.resolve("devices.db"));
        store.close();
        assertTrue(assertThrows(IllegalStateException.class, store::devices).getMessage().contains("closed"));
    }

    /** A child JVM adds devices one by one, printing each id once add() returned; it is killed with SIGKILL. */
    @Test
    void aProcessKilledMidWritesLeavesADatabaseWithEveryWriteThatReturned() throws Exception {
        Path file = dir.resolve("devices.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Writer.class.getName(),
                file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 300 && (line = out.readLine()) != null) {
                acknowledged.add(line);
            }
            child.destroyForcibly(); // SIGKILL while it keeps writing: no shutdown hooks, no close()
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(300, acknowledged.size(), "the child stopped early");
        try (SqliteDeviceManager store = SqliteDeviceManager.open(file)) {
            for (String id : acknowledged) {
                assertTrue(store.get(id).isPresent(), "lost " + id + " of " + acknowledged.size());
            }
        }
    }

    /** The child of the kill test. */
    public static final class Writer {
        public static void main(String[] args) {
            try (SqliteDeviceManager store = SqliteDeviceManager.open(Path.of(args[0]))) {
                for (int i = 0; ; i++) {
                    Device d = new Device("device-" + i, "iot#sensor", "Sensor " + i, Map.of("n", Integer.toString(i)));
                    store.add(d);
                    System.out.println(d.id());
                    System.out.flush();
                }
            }
        }
    }
}
