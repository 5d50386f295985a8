package org.sepl.connector.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.outbox.Outbox.Settlement;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxMessage;

/** What only the durable outbox must do: keep what it stored across restarts and crashes, refuse files it cannot trust. */
class SqliteOutboxTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private static OutboxEntry stored(SqliteOutbox o, OutboxMessage m) throws Exception {
        return o.append(m).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void pendingMessagesAreThereAfterReopeningWithTheirIdsAndTimes() throws Exception {
        Path file = dir.resolve("outbox.db");
        List<OutboxEntry> kept = new ArrayList<>();
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            for (int i = 0; i < 10; i++) {
                kept.add(stored(o, OutboxMessage.event("d" + i % 2, "s", "{\"i\":" + i + ",\"text\":\"ünïcödé ✓\"}")));
            }
            kept.add(stored(o, OutboxMessage.response("d0", "switch", "{\"status\":200}")));
            o.settle(kept.remove(0).id(), Settlement.DELIVERED).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            assertEquals(kept, o.pending(0, 100));
            assertEquals(kept.size(), o.status().depth());
            long bytes = kept.stream().mapToLong(e -> e.message().size()).sum();
            assertEquals(bytes, o.status().bytes());
        }
    }

    @Test
    void idsAreNeverReusedEvenAfterTheOutboxWasEmptied() throws Exception {
        Path file = dir.resolve("outbox.db");
        long last;
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            OutboxEntry e = stored(o, OutboxMessage.event("d", "s", "1"));
            o.settle(e.id(), Settlement.DELIVERED).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            last = e.id();
        }
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            assertEquals(0, o.status().depth());
            assertTrue(stored(o, OutboxMessage.event("d", "s", "2")).id() > last);
        }
    }

    @Test
    void appendsAndSettlementsQueuedBeforeCloseAreStored() throws Exception {
        Path file = dir.resolve("outbox.db");
        List<CompletableFuture<OutboxEntry>> appends = new ArrayList<>();
        SqliteOutbox o = SqliteOutbox.open(file);
        for (int i = 0; i < 1000; i++) {
            appends.add(o.append(OutboxMessage.event("d", "s", Integer.toString(i))).toCompletableFuture());
        }
        o.close();
        for (CompletableFuture<OutboxEntry> a : appends) {
            assertTrue(a.isDone() && !a.isCompletedExceptionally(), "completed as stored before close returned");
        }
        try (SqliteOutbox reopened = SqliteOutbox.open(file)) {
            assertEquals(1000, reopened.pending(0, 2000).size());
        }
    }

    @Test
    void settlementsQueuedTogetherOutOfOrderWithGapsAndRepeatsEachGetTheirOwnAnswer() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            List<OutboxEntry> stored = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                stored.add(stored(o, OutboxMessage.event("d", "s", "payload-" + i)));
            }
            long first = stored.get(0).id();
            // queued without waiting: the writer takes them in one batch (or a few), sorted into runs of ids
            long[] ids = { first + 4, first + 2, first + 3, first + 3, first + 8, first, first + 100, -1 };
            Settlement[] how = { Settlement.DELIVERED, Settlement.REJECTED, Settlement.DELIVERED, Settlement.DELIVERED,
                    Settlement.REJECTED, Settlement.DELIVERED, Settlement.DELIVERED, Settlement.DELIVERED };
            List<CompletableFuture<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                answers.add(o.settle(ids[i], how[i]).toCompletableFuture());
            }
            List<Boolean> got = new ArrayList<>();
            for (CompletableFuture<Boolean> a : answers) {
                got.add(a.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            assertEquals(List.of(true, true, true, false, true, true, false, false), got,
                    "the first settlement of an id removes it; a repeat and unknown ids find nothing");
            List<OutboxEntry> left = List.of(stored.get(1), stored.get(5), stored.get(6), stored.get(7), stored.get(9));
            assertEquals(left, o.pending(0, 100));
            assertEquals(3, o.status().delivered());
            assertEquals(2, o.status().rejected());
            long bytes = left.stream().mapToLong(e -> e.message().size()).sum();
            assertEquals(bytes, o.status().bytes());
        }
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            assertEquals(5, o.status().depth(), "the settlements were stored");
        }
    }

    // ---- files it must not trust -------------------------------------------------------------------------------

    @Test
    void aFileThatIsNotADatabaseIsRefusedNamingItAndLeftUntouched() throws Exception {
        Path file = dir.resolve("outbox.db");
        byte[] content = "my notes".getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteOutbox.open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a SQLite database"),
                e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void aCorruptOutboxIsRefusedNamingItAndLeftUntouched() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            List<CompletableFuture<OutboxEntry>> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                all.add(o.append(OutboxMessage.event("device-" + i, "s", "a payload long enough " + i)).toCompletableFuture());
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 4096 + 100; i < Math.min(bytes.length, 3 * 4096); i++) {
            bytes[i] = (byte) 0xA5;
        }
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteOutbox.open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("someone-elses.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE notes (text TEXT)");
            s.executeUpdate("INSERT INTO notes VALUES ('keep me')");
        }
        byte[] before = Files.readAllBytes(file);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteOutbox.open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not sepl-connector's outbox"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "not even switched to WAL");
    }

    @Test
    void theDeviceDatabaseIsNotTakenForAnOutboxNorTheOtherWayRound() throws Exception {
        Path devices = dir.resolve("devices.db");
        try (SqliteDeviceManager m = SqliteDeviceManager.open(devices)) {
            m.add(new Device("lamp", "iot#lamp", "Lamp"));
        }
        byte[] before = Files.readAllBytes(devices);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteOutbox.open(devices));
        assertTrue(e.getMessage().contains(devices.toString()), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(devices));

        Path outbox = dir.resolve("outbox.db");
        SqliteOutbox.open(outbox).close();
        e = assertThrows(IllegalStateException.class, () -> SqliteDeviceManager.open(outbox));
        assertTrue(e.getMessage().contains(outbox.toString()) && e.getMessage().contains("device database"),
                e.getMessage());
    }

    @Test
    void anOutboxOfANewerSchemaIsRefused() throws Exception {
        Path file = dir.resolve("outbox.db");
        SqliteOutbox.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = 99");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteOutbox.open(file));
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }

    // ---- kill -9 -------------------------------------------------------------------------------------------------

    static final int EVENTS = 10_000;
    static final int CHUNK = 500;

    /**
     * A child JVM appends events, pipelined in chunks of 500 that the parent releases (seven one at a time, then two
     * at once), and prints each id once its append is reported stored; the parent kills it with SIGKILL after the
     * first 50 reports of the last two chunks, while they are being written. Every id reported stored must be in
     * the reopened file exactly once, with its message, in order.
     */
    @Test
    void aProcessKilledMidStreamLosesNothingItReportedStored() throws Exception {
        Path file = dir.resolve("outbox.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Appender.class.getName(),
                file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<Long, Integer> reported = new LinkedHashMap<>(); // id -> event number
        int released = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = child.getOutputStream()) {
            int killAfterChunks = 7; // 3,500 reported stored, then two more chunks in flight when killed
            for (int chunk = 0; chunk < killAfterChunks; chunk++) {
                in.write('\n');
                in.flush();
                released++;
                for (int i = 0; i < CHUNK; i++) {
                    String line = out.readLine();
                    if (line == null) {
                        throw new AssertionError("the child ended early, after " + reported.size() + " events");
                    }
                    String[] idAndNumber = line.split(" ");
                    reported.put(Long.parseLong(idAndNumber[0]), Integer.parseInt(idAndNumber[1]));
                }
            }
            in.write("\n\n".getBytes(StandardCharsets.US_ASCII)); // two more chunks: 1,000 appends streaming
            in.flush();
            released += 2;
            // read a few of their reports, so the kill lands while they are being written
            for (int i = 0; i < 50; i++) {
                String line = out.readLine();
                String[] idAndNumber = line.split(" ");
                reported.put(Long.parseLong(idAndNumber[0]), Integer.parseInt(idAndNumber[1]));
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            assertTrue(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
            // (destroyForcibly closed our end of its stdout: reports still in the pipe are not counted)
        }
        try (SqliteOutbox o = SqliteOutbox.open(file)) {
            List<OutboxEntry> present = o.pending(0, EVENTS * 2);
            assertTrue(present.size() < EVENTS, "killed mid-stream: " + present.size() + " stored");
            assertTrue(present.size() <= released * CHUNK);
            Map<Long, String> byId = new LinkedHashMap<>();
            Set<String> payloads = new HashSet<>();
            long previous = 0;
            for (OutboxEntry e : present) {
                assertTrue(e.id() > previous, "in order");
                previous = e.id();
                byId.put(e.id(), e.message().payload());
                assertTrue(payloads.add(e.message().payload()), "stored once: " + e.message().payload());
            }
            for (Map.Entry<Long, Integer> r : reported.entrySet()) {
                assertEquals(Appender.payload(r.getValue()), byId.get(r.getKey()), "event reported stored as " + r.getKey());
            }
            List<Long> reportedIds = new ArrayList<>(reported.keySet());
            List<Long> presentIds = new ArrayList<>(byId.keySet());
            assertEquals(reportedIds, presentIds.subList(0, reportedIds.size()), "what was reported is the oldest, in order");
            System.out.println("kill -9: " + reported.size() + " reported stored, " + present.size() + " present");
        }
    }

    /** The child of the kill test: appends a chunk of events each time a line arrives on stdin. */
    public static final class Appender {
        static String payload(int n) {
            return "{\"event\":" + n + "}";
        }

        public static void main(String[] args) throws Exception {
            SqliteOutbox o = SqliteOutbox.open(Path.of(args[0]));
            BufferedReader go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int n = 0;
            while (n < EVENTS && go.readLine() != null) {
                List<CompletableFuture<?>> chunk = new ArrayList<>();
                for (int i = 0; i < CHUNK; i++, n++) {
                    int number = n;
                    chunk.add(o.append(OutboxMessage.event("device-" + n % 10, "s", payload(n))).toCompletableFuture()
                            .thenAccept(e -> {
                                System.out.println(e.id() + " " + number); // from the writer thread, in order
                                System.out.flush();
                            }));
                }
                CompletableFuture.allOf(chunk.toArray(CompletableFuture[]::new)).get();
            }
            o.close();
        }
    }
}
