package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.sqlite.SqliteOutbox;

/**
 * A gateway process with the SQLite outbox is killed with SIGKILL mid-stream and started again on the same file:
 * every event it reported stored before the kill reaches the platform; duplicates only among what the file still
 * held unsettled (in flight, or answered with the settlement not yet committed).
 */
class ClientKilledMidStreamTest {

    /** The child's {@code maxRequestsInFlight}: what can be on the wire, unsettled, when it dies. */
    static final int WINDOW = 100;
    private static final int EVENTS = 10_000;
    private static final int EVENTS_PER_SECOND = 5_000; // 2 s for the whole stream
    private static final int KILL_AFTER_STORED = 4_000;
    private static final long CHILD_TIMEOUT_SECONDS = 30;
    private static final String END = "(end of stream)"; // never a line the child prints

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();
    private EmulatorFixture fixture;

    @AfterEach
    void stop() {
        children.forEach(Process::destroyForcibly);
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyEventReportedStoredBeforeTheKillIsDeliveredAfterTheRestart() throws Exception {
        fixture = new EmulatorFixture();
        Path outbox = dir.resolve("outbox.db");
        Path gatewayId = dir.resolve("gateway-id");

        Process first = child("first", "send", outbox, gatewayId, EVENTS, EVENTS_PER_SECOND);
        BlockingQueue<String> lines = linesOf(first);
        Set<Integer> stored = new HashSet<>();
        Set<Integer> delivered = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
        while (stored.size() < KILL_AFTER_STORED) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || END.equals(line)) {
                throw new AssertionError("the first child stopped reporting after " + stored.size() + " stored: "
                        + stderrOf("first"));
            }
            record(line, stored, delivered);
        }
        first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, writes cut wherever they are
        assertTrue(first.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "killed child gone");
        assertNotEquals(0, first.exitValue(), "killed, not ended");
        // every line it managed to write was written before it died: count them all as reported
        for (String line = lines.poll(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS); line != null && !END.equals(line);
                line = lines.poll(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            record(line, stored, delivered);
        }
        assertTrue(stored.size() < EVENTS, "killed mid-stream, not after the last event: " + stored.size());
        int recordedBeforeRestart = recordedData().size();
        int pendingAfterKill;
        try (SqliteOutbox o = SqliteOutbox.open(outbox)) {
            pendingAfterKill = o.pending(0, EVENTS * 2).size();
        }

        Process second = child("second", "drain", outbox, gatewayId);
        linesOf(second);
        assertTrue(second.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "the second child drained in time");
        assertEquals(0, second.exitValue(), () -> "the second child failed: " + stderrOf("second"));

        List<String> recorded = recordedData();
        Map<String, Integer> timesRecorded = new HashMap<>();
        recorded.forEach(d -> timesRecorded.merge(d, 1, Integer::sum));
        List<Integer> lost = new ArrayList<>();
        for (int n : stored) {
            if (!timesRecorded.containsKey(Integer.toString(n))) {
                lost.add(n);
            }
        }
        int duplicates = recorded.size() - timesRecorded.size();
        System.out.printf("kill -9: %d reported stored (%d delivered) before the kill; platform had %d, the file "
                + "%d pending; after the restart the platform had %d (%d distinct, %d duplicates; window %d)%n",
                stored.size(), delivered.size(), recordedBeforeRestart, pendingAfterKill, recorded.size(),
                timesRecorded.size(), duplicates, WINDOW);
        assertEquals(List.of(), lost, "events reported stored that never reached the platform");
        assertEquals(pendingAfterKill, recorded.size() - recordedBeforeRestart,
                "the restarted client sent what the file held, once each");
        // a duplicate is an event the platform had whose settlement was not yet stored when the process died: those
        // in flight, and those answered whose settlement was still in the outbox's next commit (so under I/O load
        // there can be more than the request window: the slot is freed on the answer, not on the stored settlement)
        assertTrue(duplicates <= pendingAfterKill, duplicates + " duplicates, more than the " + pendingAfterKill
                + " events unsettled in the file");
    }

    private static void record(String line, Set<Integer> stored, Set<Integer> delivered) {
        String[] what = line.split(" ");
        int n = Integer.parseInt(what[1]);
        switch (what[0]) {
            case "stored" -> stored.add(n);
            case "delivered" -> delivered.add(n);
            default -> throw new AssertionError("unexpected line from the child: " + line);
        }
    }

    /** Data of the events the platform accepted for the child's device, in the order received. */
    private List<String> recordedData() {
        List<String> data = new ArrayList<>();
        for (PlatformEmulator.Event e : fixture.platform.events()) {
            if (e.deviceUri().equals(OutboxKillChild.DEVICE) && e.status() == 200) {
                data.add(String.valueOf(e.data()));
            }
        }
        return data;
    }

    private Process child(String name, String mode, Path outbox, Path gatewayId, Object... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OutboxKillChild.class.getName(), mode,
                Integer.toString(fixture.platform.port()), outbox.toString(), gatewayId.toString()));
        for (Object o : more) {
            command.add(o.toString());
        }
        Process p = new ProcessBuilder(command).redirectError(dir.resolve(name + ".stderr").toFile()).start();
        children.add(p);
        p.getOutputStream().close();
        return p;
    }

    /** The child's stdout lines, read on a thread of their own so that the test's waits have deadlines. */
    private static BlockingQueue<String> linesOf(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the stream was closed by the kill: what was read is all the child reported
            } finally {
                lines.add(END);
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private String stderrOf(String name) {
        try {
            List<String> all = Files.readAllLines(dir.resolve(name + ".stderr"));
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}
