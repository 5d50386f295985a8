package org.sepl.connector.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxMessage;

/**
 * The stores' files as a machine can spoil them: two processes on one file, and a file damaged at start (the outbox
 * sets it aside and starts empty; the device database is never replaced).
 */
class StoreFilesTest {

    private static final long WAIT_SECONDS = 30;
    private static final Clock AT = Clock.fixed(Instant.parse("2026-12-05T03:18:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    // ---- one user per file --------------------------------------------------------------------------------------

    @Test
    void aSecondOutboxOrDeviceManagerOnTheSameFileInThisJvmIsRefusedAndTheFirstKeepsItsFile() throws Exception {
        Path outbox = dir.resolve("outbox.db");
        Path devices = dir.resolve("devices.db");
        try (SqliteOutbox first = SqliteOutbox.open(outbox); SqliteDeviceManager firstDevices = SqliteDeviceManager.open(devices)) {
            first.append(OutboxMessage.event("d", "s", "before")).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteOutbox.open(outbox));
            assertTrue(e.getMessage().contains(outbox.toString()) && e.getMessage().contains("in use by another store in "
                    + "this Java process") && e.getMessage().contains("outbox.db.lock"), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> SqliteOutbox.openSettingAsideDamaged(outbox,
                    OutboxLimits.DEFAULT, AT));
            assertTrue(e.getMessage().contains("in use"), "a file in use is never set aside: " + e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> SqliteDeviceManager.open(devices));
            assertTrue(e.getMessage().contains(devices.toString()) && e.getMessage().contains("in use"), e.getMessage());

            first.append(OutboxMessage.event("d", "s", "after")).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(2, first.pending(0, 10).size());
            assertTrue(firstDevices.add(new Device("lamp", "iot#lamp", "Lamp")));
        }
        try (SqliteOutbox again = SqliteOutbox.open(outbox); SqliteDeviceManager d = SqliteDeviceManager.open(devices)) {
            assertEquals(2, again.pending(0, 10).size(), "closing released the lock");
            assertEquals(1, d.devices().size());
        }
    }

    /**
     * A child JVM holds both stores open (as a second gateway in the same directory would); this process is refused,
     * told which process holds them, and the child goes on writing; once the child is killed (kill -9, no close) its
     * lock is gone with it and what it wrote is there.
     */
    @Test
    void aSecondProcessIsRefusedNamingTheHolderAndTheFirstKeepsWriting() throws Exception {
        Path outbox = dir.resolve("outbox.db");
        Path devices = dir.resolve("devices.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                outbox.toString(), devices.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = child.getOutputStream()) {
            assertEquals("open", out.readLine());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteOutbox.open(outbox));
            assertTrue(e.getMessage().contains("in use by process " + child.pid()), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> SqliteDeviceManager.open(devices));
            assertTrue(e.getMessage().contains("in use by process " + child.pid()), e.getMessage());
            in.write('\n');
            in.flush();
            assertEquals("wrote", out.readLine(), "the first user goes on as if nothing happened");
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        try (SqliteOutbox o = SqliteOutbox.open(outbox); SqliteDeviceManager d = SqliteDeviceManager.open(devices)) {
            assertEquals(2, o.pending(0, 10).size());
            assertEquals(2, d.devices().size());
        }
    }

    /** The child of the two-process test: opens both stores, writes, says so, writes again on a line from stdin. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            SqliteOutbox o = SqliteOutbox.open(Path.of(args[0]));
            SqliteDeviceManager d = SqliteDeviceManager.open(Path.of(args[1]));
            o.append(OutboxMessage.event("d", "s", "1")).toCompletableFuture().get();
            d.add(new Device("one", "iot#lamp", "One"));
            System.out.println("open");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            o.append(OutboxMessage.event("d", "s", "2")).toCompletableFuture().get();
            d.add(new Device("two", "iot#lamp", "Two"));
            System.out.println("wrote");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // until killed
        }
    }

    // ---- a damaged file at start --------------------------------------------------------------------------------

    private Path outboxWithMessages(int n) throws Exception {
        Path file = dir.resolve("outbox.db");
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            List<CompletableFuture<OutboxEntry>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(o.append(OutboxMessage.event("device-" + i, "s", "a payload long enough " + i)).toCompletableFuture());
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        return file;
    }

    private static byte[] corrupt(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 4096 + 100; i < Math.min(bytes.length, 3 * 4096); i++) {
            bytes[i] = (byte) 0xA5;
        }
        Files.write(file, bytes);
        return bytes;
    }

    @Test
    void aCorruptOutboxIsSetAsideWithItsLogNamedInAnErrorAndAnEmptyOneTakesItsPlace() throws Exception {
        Path file = outboxWithMessages(2000);
        byte[] damaged = corrupt(file);
        Path aside = dir.resolve("outbox.db.damaged-20261205T031800Z");
        try (LogRecords records = new LogRecords();
                SqliteOutbox o = SqliteOutbox.openSettingAsideDamaged(file, OutboxLimits.DEFAULT, AT)) {
            assertEquals(0, o.status().depth(), "a fresh outbox");
            o.append(OutboxMessage.event("d", "s", "new")).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, o.pending(0, 10).size());
            List<String> errors = records.warningsAndErrors();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).startsWith("SEVERE") && errors.get(0).contains(file.toString())
                    && errors.get(0).contains(aside.toString()) && errors.get(0).contains("corrupt"), errors.get(0));
        }
        assertArrayEquals(damaged, Files.readAllBytes(aside), "kept as it was, for inspection or repair");
    }

    @Test
    void aFileIsSetAsideWithItsLogAndSharedMemoryUnderOneName() throws Exception {
        Path file = dir.resolve("outbox.db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.writeString(dir.resolve("outbox.db" + suffix), "content of " + suffix);
        }
        Path aside = SetAside.move(file, Instant.parse("2026-12-05T03:18:00.750Z"));
        assertEquals(dir.resolve("outbox.db.damaged-20261205T031800Z"), aside);
        for (String suffix : List.of("", "-wal", "-shm")) {
            assertEquals("content of " + suffix, Files.readString(dir.resolve(aside.getFileName() + suffix)));
            assertFalse(Files.exists(dir.resolve("outbox.db" + suffix)), "a log left beside a fresh database would "
                    + "be replayed into it");
        }
    }

    @Test
    void anOutboxWhoseHeaderIsZerosIsSetAsideAndASecondOneInTheSameSecondGetsAnotherName() throws Exception {
        Path file = dir.resolve("outbox.db");
        for (int round = 0; round < 2; round++) {
            Files.write(file, new byte[8192]); // a file being written when the power went
            SqliteOutbox.openSettingAsideDamaged(file, OutboxLimits.DEFAULT, AT).close();
        }
        assertTrue(Files.exists(dir.resolve("outbox.db.damaged-20261205T031800Z")));
        assertTrue(Files.exists(dir.resolve("outbox.db.damaged-20261205T031800Z-2")));
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            assertEquals(0, o.status().depth());
        }
    }

    @Test
    void anUnreadableOutboxIsSetAside() throws Exception {
        Path file = dir.resolve("outbox.db");
        Files.createDirectories(file.resolve("not-a-file")); // a directory where the file should be: cannot be read
        SqliteOutbox.openSettingAsideDamaged(file, OutboxLimits.DEFAULT, AT).close();
        assertTrue(Files.isDirectory(dir.resolve("outbox.db.damaged-20261205T031800Z")));
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void filesRefusedForOtherReasonsAreNeverSetAsideEvenByTheComponentsOpen() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "the path names the wrong file: it is no damaged outbox");
        Path foreign = dir.resolve("someone-elses.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE notes (text TEXT)");
        }
        Path newer = outboxWithMessages(1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = 99");
        }
        for (Path file : List.of(text, foreign, newer)) {
            byte[] before = Files.readAllBytes(file);
            assertThrows(IllegalStateException.class,
                    () -> SqliteOutbox.openSettingAsideDamaged(file, OutboxLimits.DEFAULT, AT), file.toString());
            assertArrayEquals(before, Files.readAllBytes(file), file.toString());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("damaged")), "nothing moved");
        }
    }

    @Test
    void aCorruptDeviceDatabaseIsNeverReplacedAndTheRefusalSaysWhatToDo() throws Exception {
        Path file = dir.resolve("devices.db");
        try (SqliteDeviceManager m = SqliteDeviceManager.open(file)) {
            List<Device> many = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                many.add(new Device("device-" + i, "iot#type", "A device with a long enough name " + i));
            }
            m.addAll(many);
        }
        byte[] damaged = corrupt(file);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteDeviceManager.open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("corrupt")
                && e.getMessage().contains("no device manager is started from it")
                && e.getMessage().contains("keeps the platform's device list") && e.getMessage().contains(".recover"),
                e.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("damaged")), "nothing moved");
        }
    }
}
