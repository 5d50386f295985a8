package org.sepl.connector.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.outbox.Outbox.Settlement;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxRefusedException;
import org.sepl.connector.api.outbox.RefusalReason;

/**
 * The durable outbox on a full disk, made full by a size limit on the file ({@code PRAGMA max_page_count}: SQLite then
 * fails with the very error a full disk gives, {@code SQLITE_FULL}, "database or disk is full"). New messages are
 * refused with {@link RefusalReason#DISK_FULL}, what is stored is kept, settlements still go through, the log gets a
 * few lines, and writing resumes by itself once there is room. {@link SmallFileSystemTest} does it on a real small
 * file system.
 */
class SqliteOutboxDiskFullTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    static OutboxMessage event(int i) {
        return OutboxMessage.event("meter-" + i % 7, "reading", "{\"i\":" + i + ",\"padding\":\"" + "x".repeat(300) + "\"}");
    }

    /** Limits the file to the pages it has now: the next write that needs a page fails as on a full disk. */
    static void diskFullNow(SqliteOutbox o) throws Exception {
        o.onWriteConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA page_count")) {
                r.next();
                s.executeQuery("PRAGMA max_page_count = " + r.getLong(1)).close();
            }
        });
    }

    static void roomAgain(SqliteOutbox o) throws Exception {
        o.onWriteConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.executeQuery("PRAGMA max_page_count = 1073741823").close();
            }
        });
    }

    /** Appends (pipelined) and sorts the outcomes: stored entries, and refusals by reason. */
    static final class Outcomes {
        final List<OutboxEntry> stored = new ArrayList<>();
        final List<OutboxRefusedException> refused = new ArrayList<>();

        static Outcomes of(SqliteOutbox o, int from, int count) throws Exception {
            List<CompletableFuture<OutboxEntry>> all = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                all.add(o.append(event(i)).toCompletableFuture());
            }
            Outcomes out = new Outcomes();
            for (CompletableFuture<OutboxEntry> a : all) {
                try {
                    out.stored.add(a.get(WAIT_SECONDS, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    out.refused.add(assertInstanceOf(OutboxRefusedException.class, e.getCause()));
                }
            }
            return out;
        }
    }

    /**
     * Appends one at a time into what room the last pages have, until the first refusal: then no message of that
     * size or larger fits (a batch is stored whole or not at all, so a pipelined stream could still fit a small batch).
     *
     * @return the next event number
     */
    static int fill(SqliteOutbox o, int from, List<OutboxEntry> stored) throws Exception {
        for (int i = from; i < from + 10_000; i++) {
            Outcomes one = Outcomes.of(o, i, 1);
            if (!one.refused.isEmpty()) {
                return i + 1;
            }
            stored.addAll(one.stored);
        }
        throw new AssertionError("the size limit did not stop the appends");
    }

    @Test
    void aFullDiskRefusesNewMessagesKeepsWhatIsStoredAndWritingResumesWhenThereIsRoom() throws Exception {
        Path file = dir.resolve("outbox.db");
        List<OutboxEntry> stored = new ArrayList<>();
        List<Long> settled = new ArrayList<>();
        try (LogRecords log = new LogRecords(); SqliteOutbox o = SqliteOutbox.open(file, OutboxLimits.DEFAULT)) {
            stored.addAll(Outcomes.of(o, 0, 100).stored);
            diskFullNow(o);
            int next = fill(o, 100, stored);
            // a stream of events while the disk is full: every one refused, with the reason, naming the file
            for (int round = 0; round < 20; round++) {
                Outcomes full = Outcomes.of(o, next, 50);
                next += 50;
                assertEquals(List.of(), full.stored);
                for (OutboxRefusedException e : full.refused) {
                    assertEquals(RefusalReason.DISK_FULL, e.reason(), e.getMessage());
                    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("disk is full"),
                            e.getMessage());
                }
            }
            // settlements need no room: they go through, and make some
            for (int i = 0; i < 10; i++) {
                long id = stored.get(i).id();
                assertTrue(o.settle(id, Settlement.DELIVERED).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS));
                settled.add(id);
            }
            List<String> noisy = log.warningsAndErrors();
            assertTrue(noisy.size() <= 2, "an episode, not a line per write: " + noisy);
            assertTrue(noisy.get(0).startsWith("SEVERE") && noisy.get(0).contains("disk is full")
                    && noisy.get(0).contains("resumes by itself"), noisy.get(0));

            roomAgain(o);
            Outcomes after = Outcomes.of(o, next, 200);
            assertEquals(List.of(), after.refused, "stored again as soon as there is room, without a restart");
            stored.addAll(after.stored);
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("INFO") && l.contains("writes succeed again")),
                    log.lines().toString());
            assertEquals(stored.size() - settled.size(), o.status().depth());
        }
        try (SqliteOutbox reopened = SqliteOutbox.open(file)) {
            List<OutboxEntry> expected = stored.stream().filter(e -> !settled.contains(e.id())).toList();
            assertEquals(expected, reopened.pending(0, 100_000), "nothing stored was lost, nothing refused was stored");
        }
    }

    @Test
    void settlementsQueuedTogetherWithAppendsOnAFullDiskGoThroughWithoutThem() throws Exception {
        try (SqliteOutbox o = SqliteOutbox.open(dir.resolve("outbox.db"))) {
            List<OutboxEntry> stored = new ArrayList<>(Outcomes.of(o, 0, 20).stored);
            diskFullNow(o);
            fill(o, 20, stored);
            List<CompletableFuture<Boolean>> settlements = new ArrayList<>();
            List<CompletableFuture<OutboxEntry>> appends = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // queued without waiting: the writer takes them in one batch, or a few
                settlements.add(o.settle(stored.get(i).id(), Settlement.DELIVERED).toCompletableFuture());
                appends.add(o.append(event(1000 + i)).toCompletableFuture());
            }
            for (CompletableFuture<Boolean> s : settlements) {
                assertTrue(s.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            for (CompletableFuture<OutboxEntry> a : appends) {
                try {
                    a.get(WAIT_SECONDS, TimeUnit.SECONDS);
                    // a settlement may have freed room for an append of a later batch: then it is stored, and fine
                } catch (ExecutionException e) {
                    assertEquals(RefusalReason.DISK_FULL,
                            assertInstanceOf(OutboxRefusedException.class, e.getCause()).reason());
                }
            }
            assertEquals(10, o.status().delivered());
        }
    }

    @Test
    void theDeviceManagerOnAFullDiskRefusesWritesAndWritesAgainWhenThereIsRoom() throws Exception {
        Path file = dir.resolve("devices.db");
        try (SqliteDeviceManager m = SqliteDeviceManager.open(file)) {
            m.add(new org.sepl.connector.api.Device("lamp-0", "iot#lamp", "Lamp 0"));
            m.onConnection(c -> {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA page_count")) {
                    r.next();
                    s.executeQuery("PRAGMA max_page_count = " + r.getLong(1)).close();
                }
            });
            int added = 1;
            try {
                for (; added < 10_000; added++) {
                    m.add(new org.sepl.connector.api.Device("lamp-" + added, "iot#lamp", "Lamp " + "x".repeat(200)));
                }
                fail("the size limit stopped the adds");
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().contains("disk is full") && e.getMessage().contains(file.toString()),
                        e.getMessage());
            }
            m.onConnection(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("PRAGMA max_page_count = 1073741823").close();
                }
            });
            assertTrue(m.add(new org.sepl.connector.api.Device("after", "iot#lamp", "After")));
            assertEquals(added + 1, m.devices().size());
        }
        try (SqliteDeviceManager reopened = SqliteDeviceManager.open(file)) {
            assertTrue(reopened.get("after").isPresent());
        }
    }
}
