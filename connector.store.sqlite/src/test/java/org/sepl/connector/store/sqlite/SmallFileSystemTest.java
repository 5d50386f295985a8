package org.sepl.connector.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.outbox.Outbox.Settlement;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxRefusedException;
import org.sepl.connector.api.outbox.RefusalReason;
import org.sepl.connector.testkit.SmallFileSystem;

/**
 * The durable outbox on a real file system of 1.5 MB (a tmpfs this test mounts) that fills up and then grows to 64 MB,
 * as a gateway's disk filled by something else and then cleaned. Needs root (mount); skipped, saying so, without it.
 */
@EnabledOnOs(OS.LINUX)
class SmallFileSystemTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;
    private SmallFileSystem disk;
    private Path small;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        small = Files.createDirectories(dir.resolve("small"));
        disk = SmallFileSystem.mount(small, "1536k");
        assumeTrue(disk.isMounted(), disk.whyNot());
    }

    @AfterEach
    void unmount() throws Exception {
        disk.close();
    }

    @Test
    void aFullFileSystemRefusesNewMessagesKeepsWhatIsStoredAndTheOutboxWritesAgainOnceItGrows() throws Exception {
        Path file = small.resolve("outbox.db");
        List<OutboxEntry> stored = new ArrayList<>();
        List<Long> settled = new ArrayList<>();
        long refused = 0;
        try (LogRecords log = new LogRecords(); SqliteOutbox o = SqliteOutbox.open(file)) {
            int next = 0;
            // an outage: events pile up until the file system is full, and go on coming for a while
            int fullRounds = 0;
            while (fullRounds < 30 && next < 100_000) {
                SqliteOutboxDiskFullTest.Outcomes chunk = SqliteOutboxDiskFullTest.Outcomes.of(o, next, 100);
                next += 100;
                stored.addAll(chunk.stored);
                for (OutboxRefusedException e : chunk.refused) {
                    assertEquals(RefusalReason.DISK_FULL, e.reason(), e.getMessage());
                    refused++;
                }
                fullRounds += chunk.refused.isEmpty() ? 0 : 1;
            }
            assertTrue(fullRounds == 30, "the file system filled up: " + stored.size() + " stored");
            // the platform is back: a settlement needs a little room too (the write-ahead log), so on a disk full to
            // the last byte it fails, saying so, and the message stays (the client tries again later)
            int settleFailures = 0;
            for (OutboxEntry e : stored.subList(0, 50)) {
                try {
                    assertTrue(o.settle(e.id(), Settlement.DELIVERED).toCompletableFuture()
                            .get(WAIT_SECONDS, TimeUnit.SECONDS));
                    settled.add(e.id());
                } catch (ExecutionException failed) {
                    assertTrue(failed.getCause().getMessage().contains("disk is full"), failed.getCause().getMessage());
                    settleFailures++;
                }
            }
            List<String> noisy = log.warningsAndErrors();
            assertTrue(noisy.size() <= 3, refused + " refusals in " + noisy.size() + " lines: " + noisy);

            disk.grow("64m"); // something else on the gateway freed space
            SqliteOutboxDiskFullTest.Outcomes after = SqliteOutboxDiskFullTest.Outcomes.of(o, next, 500);
            assertEquals(List.of(), after.refused, "stored again once there is room, without a restart");
            stored.addAll(after.stored);
            for (OutboxEntry e : stored.subList(0, 100)) {
                if (settled.contains(e.id())) {
                    continue;
                }
                assertTrue(o.settle(e.id(), Settlement.DELIVERED).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS));
                settled.add(e.id());
            }
            System.out.println("small file system: " + stored.size() + " stored, " + refused + " refused, "
                    + settled.size() + " settled (" + settleFailures + " failed while full); log: " + log.lines());
        }
        try (SqliteOutbox reopened = SqliteOutbox.open(file)) {
            List<OutboxEntry> expected = stored.stream().filter(e -> !settled.contains(e.id())).toList();
            assertEquals(expected, reopened.pending(0, 100_000), "nothing stored was lost, nothing refused was stored");
        }
    }
}
