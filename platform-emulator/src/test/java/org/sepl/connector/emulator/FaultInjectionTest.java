package org.sepl.connector.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sepl.connector.emulator.ProtocolTest.device;
import static org.sepl.connector.emulator.ProtocolTest.event;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The faults a soak test injects, each from the Java API with a real WebSocket client as the gateway: shares of
 * answers dropped or delayed (seeded: the same seed makes the same choices), commands delivered twice, a
 * connection gone silent both ways, a slow reader, throttled connection attempts, a restart that forgets the
 * sessions; and what was injected, counted by kind, and the command ledger.
 */
class FaultInjectionTest {

    private PlatformEmulator platform;

    @BeforeEach
    void start() throws Exception {
        platform = PlatformEmulator.builder().user("alice", "secret").user("bob", "hunter2").start();
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private static long injected(PlatformEmulator p, FaultKind kind) {
        return p.faults().injected().get(kind);
    }

    // ---- answers dropped or delayed for a share of requests -------------------------------------------------

    private static final int EVENTS = 30;
    private static final long ANSWER_DELAY_MILLIS = 500;

    /** Which of {@link #EVENTS} events (by index) got no answer, and which a late one, with this seed. */
    private static List<Set<Integer>> answerFaults(long seed) throws Exception {
        try (PlatformEmulator p = PlatformEmulator.builder().user("a", "b").start();
                TestGateway g = TestGateway.handshake(p, "a", "b", "")) {
            assertEquals(200, g.status("put", device("meter", "Meter", "iot#meter")));
            p.faults().seed(seed).dropAnswers("event", 0.2).delayAnswers("event", 0.2, Duration.ofMillis(ANSWER_DELAY_MILLIS));
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < EVENTS; i++) {
                index.put(g.request("event", event("meter", "reading", Integer.toString(i), null)), i);
            }
            long sent = System.nanoTime();
            Set<Integer> answered = new TreeSet<>();
            Set<Integer> late = new TreeSet<>();
            String frame;
            while ((frame = g.poll(Duration.ofMillis(2 * ANSWER_DELAY_MILLIS))) != null) {
                JsonObject answer = JsonParser.parseString(frame).getAsJsonObject();
                assertEquals(200, answer.get("status").getAsInt());
                int i = index.get(answer.get("token").getAsString());
                answered.add(i);
                if (System.nanoTime() - sent > TimeUnit.MILLISECONDS.toNanos(ANSWER_DELAY_MILLIS / 2)) {
                    late.add(i);
                }
            }
            Set<Integer> unanswered = new TreeSet<>();
            for (int i = 0; i < EVENTS; i++) {
                if (!answered.contains(i)) {
                    unanswered.add(i);
                }
            }
            assertEquals(EVENTS, p.events().size(), "every event was applied, answered or not");
            assertEquals(unanswered.size(), injected(p, FaultKind.ANSWER_DROPPED));
            assertEquals(late.size(), injected(p, FaultKind.ANSWER_DELAYED));
            return List.of(unanswered, late);
        }
    }

    @Test
    void aShareOfAnswersIsDroppedOrDelayedAndTheSameSeedMakesTheSameChoices() throws Exception {
        List<Set<Integer>> first = answerFaults(42);
        assertEquals(first, answerFaults(42), "replayed with the same seed");

        Set<Integer> dropped = new TreeSet<>();
        Set<Integer> delayed = new TreeSet<>();
        for (int i = 0; i < EVENTS; i++) {
            double u = SeededChoices.uniform(42, "answer:event", i);
            (u < 0.2 ? dropped : u < 0.4 ? delayed : new TreeSet<Integer>()).add(i);
        }
        assertEquals(List.of(dropped, delayed), first);
        assertFalse(dropped.isEmpty() || delayed.isEmpty(), "seed 42 drops and delays some of 30: " + first);
    }

    @Test
    void seededChoicesAreAFunctionOfSeedStreamAndIndex() {
        SeededChoices a = new SeededChoices(7);
        SeededChoices b = new SeededChoices(7);
        List<Double> fromA = new ArrayList<>();
        List<Double> fromB = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fromA.add(a.next("answer:event"));
            b.next("command"); // another stream does not shift this one
            fromB.add(b.next("answer:event"));
        }
        assertEquals(fromA, fromB);
        assertTrue(fromA.stream().allMatch(u -> u >= 0 && u < 1));
        double mean = fromA.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(mean > 0.35 && mean < 0.65, "mean " + mean);
        a.reseed(8);
        assertNotEquals(fromA.get(0), a.next("answer:event"));
        a.reseed(7);
        assertEquals(fromA.get(0), a.next("answer:event"), "reseeding starts the stream again");
    }

    @Test
    void sharesAreCheckedAndCleared() {
        PlatformEmulator.Faults faults = platform.faults();
        assertThrows(IllegalArgumentException.class, () -> faults.dropAnswers("event", 1.5));
        assertThrows(IllegalArgumentException.class, () -> faults.dropAnswers("event", 0.6).delayAnswers("event", 0.6, Duration.ofMillis(1)));
        long seed = faults.seed();
        faults.clear();
        assertEquals(seed, faults.seed(), "clear keeps the seed, so that a run can still be replayed");
    }

    // ---- commands delivered twice, and the ledger ------------------------------------------------------------

    private static JsonObject answer(JsonObject command) {
        JsonObject response = command.getAsJsonObject("payload").deepCopy();
        response.add("protocol_parts", event("lamp", "on", "done", null).get("value"));
        return response;
    }

    @Test
    void aDuplicatedCommandArrivesTwiceWithTheSameTaskIdAndTheLedgerCountsDeliveriesAndResponses() throws Exception {
        try (TestGateway g = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, g.status("put", device("lamp", "Lamp", "iot#lamp")));
            platform.faults().duplicateNextCommands(1);
            CompletableFuture<PlatformEmulator.CommandResponse> first = platform.sendCommand("lamp", "on", "1", null);
            JsonObject c1 = g.next();
            JsonObject c2 = g.next();
            String task = c1.getAsJsonObject("payload").get("task_id").getAsString();
            assertEquals(task, c2.getAsJsonObject("payload").get("task_id").getAsString());
            assertEquals(200, g.status("response", answer(c1)));
            assertEquals(task, first.get(5, TimeUnit.SECONDS).taskId());

            platform.sendCommand("lamp", "on", "2", null);
            JsonObject single = g.next();
            assertNull(g.poll(Duration.ofMillis(100)), "not duplicated");
            assertEquals(200, g.status("response", answer(single)));
            assertEquals(200, g.status("response", answer(single))); // the gateway answered twice
            String second = single.getAsJsonObject("payload").get("task_id").getAsString();

            Map<String, CommandTally> ledger = platform.commandLedger();
            assertEquals(List.of(task, second), List.copyOf(ledger.keySet()));
            assertEquals(new CommandTally(task, "lamp", 2, 1), ledger.get(task));
            assertEquals(new CommandTally(second, "lamp", 1, 2), ledger.get(second));
            assertEquals(1, injected(platform, FaultKind.COMMAND_DUPLICATED));
        }
    }

    @Test
    void aShareOfCommandsIsDuplicatedAsTheSeedSays() throws Exception {
        try (TestGateway g = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, g.status("put", device("lamp", "Lamp", "iot#lamp")));
            platform.faults().seed(99).duplicateCommands(0.5);
            List<Boolean> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                platform.sendCommand("lamp", "on", Integer.toString(i), null);
                expected.add(SeededChoices.uniform(99, "command", i) < 0.5);
            }
            int frames = 0;
            while (g.poll(Duration.ofMillis(300)) != null) {
                frames++;
            }
            List<Boolean> duplicated = platform.commandLedger().values().stream().map(t -> t.deliveries() == 2).toList();
            assertEquals(expected, duplicated);
            long twice = expected.stream().filter(d -> d).count();
            assertEquals(20 + twice, frames);
            assertEquals(twice, injected(platform, FaultKind.COMMAND_DUPLICATED));
        }
    }

    // ---- a connection silent both ways (half-open) -----------------------------------------------------------

    @Test
    void aSilencedConnectionStaysOpenButNothingGoesThroughEitherWay() throws Exception {
        try (PlatformEmulator p = PlatformEmulator.builder().user("a", "b").linkFaults(true).pingInterval(Duration.ofMillis(100))
                .readTimeout(Duration.ofMillis(800)).start();
                TestGateway g = TestGateway.handshake(p, "a", "b", "")) {
            assertEquals(200, g.status("put", device("lamp", "Lamp", "iot#lamp")), "through the relay");
            await("the platform's pings", Duration.ofSeconds(5), () -> g.pings.get() >= 2);

            p.faults().silenceOnNext("event");
            g.request("event", event("lamp", "on", "1", null));
            await("the silence", Duration.ofSeconds(5), () -> injected(p, FaultKind.SILENCED) == 1);
            int pings = g.pings.get();
            g.ping();
            assertNull(g.poll(Duration.ofSeconds(1)), "no answer");
            assertTrue(g.pings.get() - pings <= 1, "the platform's pings no longer arrive (at most one was on its way)");
            assertEquals(0, g.pongs.get(), "no pong");

            // the platform's side times out by itself; the gateway is told nothing
            await("the platform dropping its side", Duration.ofSeconds(5), () -> p.openSessions() == 0);
            assertFalse(g.closed.isDone(), "no close, no reset reached the gateway");
            try (TestGateway again = TestGateway.handshake(p, "a", "b", "")) {
                assertEquals(200, again.status("commit", "a new connection works"));
            }
        }
    }

    @Test
    void everyOpenConnectionCanBeSilencedAtOnce() throws Exception {
        try (PlatformEmulator p = PlatformEmulator.builder().user("a", "b").linkFaults(true).start();
                TestGateway g1 = TestGateway.handshake(p, "a", "b", "");
                TestGateway g2 = TestGateway.handshake(p, "a", "b", "")) {
            p.faults().silenceOpenConnections();
            assertEquals(2, injected(p, FaultKind.SILENCED));
            g1.request("commit", "h");
            g2.request("commit", "h");
            assertNull(g1.poll(Duration.ofMillis(300)));
            assertNull(g2.poll(Duration.ofMillis(10)));
            assertEquals("", p.gateways().get(0).hash(), "the requests never reached the platform");
        }
    }

    @Test
    void linkFaultsNeedTheRelay() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> platform.faults().silenceOnNext("event"));
        assertTrue(e.getMessage().contains("linkFaults(true)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> platform.faults().slowReader(1000));
        assertThrows(IllegalStateException.class, () -> platform.faults().silenceOpenConnections());
        platform.faults().slowReader(0); // full speed needs nothing
    }

    // ---- a slow reader ---------------------------------------------------------------------------------------

    @Test
    void aSlowReaderBacksUpTheGatewaysWritesWithoutLosingOrReorderingAnything() throws Exception {
        int rate = 100_000;
        int events = 800;
        try (PlatformEmulator p = PlatformEmulator.builder().user("a", "b").linkFaults(true).start();
                RawWebSocket ws = new RawWebSocket(p.port(), 8 * 1024)) {
            ws.sendText("{\"user\":\"a\",\"pw\":\"b\",\"gid\":\"\",\"token\":\"credentials\"}");
            assertTrue(ws.nextText().contains("\"status\":200"));
            ws.sendText("{\"handler\":\"put\",\"token\":\"put\",\"payload\":{\"uri\":\"meter\",\"iot_type\":\"t\"}}");
            assertTrue(ws.nextText().contains("\"status\":200"));
            p.faults().slowReader(rate);

            String padding = "x".repeat(200);
            List<byte[]> frames = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < events; i++) {
                JsonObject envelope = new JsonObject();
                envelope.addProperty("handler", "event");
                envelope.addProperty("token", "e" + i);
                envelope.add("payload", event("meter", "reading", i + padding, null));
                frames.add(RawWebSocket.frame(envelope.toString()));
                bytes += frames.get(i).length;
            }
            CompletableFuture<List<String>> answers = CompletableFuture.supplyAsync(() -> {
                List<String> tokens = new ArrayList<>();
                try {
                    for (int i = 0; i < events; i++) {
                        JsonObject a = JsonParser.parseString(ws.nextText()).getAsJsonObject();
                        assertEquals(200, a.get("status").getAsInt());
                        tokens.add(a.get("token").getAsString());
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return tokens;
            });
            long start = System.nanoTime();
            for (byte[] frame : frames) {
                ws.write(frame);
            }
            long writeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            List<String> tokens = answers.get(20, TimeUnit.SECONDS);
            long allMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            // the socket buffers between the gateway and the relay hold some 50 KB (measured): the rest waits for the reader
            long unbuffered = bytes - 150_000;
            assertTrue(writeMillis >= unbuffered * 1000 / rate,
                    "the gateway's writes of " + bytes + " bytes backed up: " + writeMillis + " ms");
            assertTrue(allMillis >= bytes * 1000 / rate * 8 / 10, bytes + " bytes read at " + rate + " B/s took " + allMillis + " ms");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                expected.add("e" + i);
            }
            assertEquals(expected, tokens, "every event answered, in order");
            List<PlatformEmulator.Event> received = p.events();
            assertEquals(events, received.size());
            for (int i = 0; i < events; i++) {
                assertEquals(i + padding, received.get(i).data());
            }
            assertEquals(1, injected(p, FaultKind.SLOW_READ));
        }
    }

    // ---- throttled connection attempts -----------------------------------------------------------------------

    /** Connects and sends credentials: true if the handshake was answered, false if the connection was dropped. */
    private static boolean admitted(PlatformEmulator p, String user, String password) throws Exception {
        try (TestGateway g = new TestGateway(p.uri())) {
            g.sendCredentials(user, password, "");
            long deadline = System.nanoTime() + TestGateway.WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (g.poll(Duration.ofMillis(20)) != null) {
                    return true;
                }
                if (g.closed.isDone()) {
                    assertEquals(1006, g.awaitClosed(), "refused as a wrong password is: dropped");
                    return false;
                }
            }
            throw new AssertionError("neither answered nor dropped within " + TestGateway.WAIT);
        }
    }

    @Test
    void attemptsBeyondTheLimitPerUserAreDroppedUntilTheWindowMovesOn() throws Exception {
        platform.faults().throttleConnections(ThrottleKey.USER, 2, Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertTrue(admitted(platform, "alice", "secret"));
        assertTrue(admitted(platform, "alice", "secret"));
        assertFalse(admitted(platform, "alice", "secret"));
        assertFalse(admitted(platform, "alice", "wrong"), "counted before the password is checked");
        assertTrue(admitted(platform, "bob", "hunter2"), "another user has his own count");
        assertEquals(2, injected(platform, FaultKind.THROTTLED));

        await("alice admitted again", Duration.ofSeconds(5), () -> {
            try {
                return admitted(platform, "alice", "secret");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900), "not before the window moved on");
    }

    @Test
    void attemptsArePerClientAddressAlsoBehindTheRelayAndTheDefaultIsTenPerThirtySeconds() throws Exception {
        try (PlatformEmulator p = PlatformEmulator.builder().user("alice", "secret").user("bob", "hunter2").linkFaults(true).start()) {
            p.faults().throttleConnections(ThrottleKey.ADDRESS);
            for (int i = 0; i < 10; i++) {
                assertTrue(admitted(p, i % 2 == 0 ? "alice" : "bob", i % 2 == 0 ? "secret" : "hunter2"), "attempt " + (i + 1));
            }
            assertFalse(admitted(p, "bob", "hunter2"), "the 11th from 127.0.0.1 within 30 s");
            assertEquals(1, injected(p, FaultKind.THROTTLED));
            p.faults().clear();
            assertTrue(admitted(p, "bob", "hunter2"));
        }
    }

    // ---- a restart that forgets the sessions -----------------------------------------------------------------

    @Test
    void aRestartDropsEveryConnectionAndForgetsSessionsAndCommandsButNotGateways(@TempDir Path dir) throws Exception {
        try (PlatformEmulator p = PlatformEmulator.builder().user("a", "b").stateFile(dir.resolve("state.json")).start()) {
            String gid;
            String task;
            CompletableFuture<PlatformEmulator.CommandResponse> waiting;
            try (TestGateway g = TestGateway.handshake(p, "a", "b", "")) {
                gid = p.gateways().get(0).id();
                assertEquals(200, g.status("put", device("lamp", "Lamp", "iot#lamp")));
                assertEquals(200, g.status("commit", "h1"));
                waiting = p.sendCommand("lamp", "on", "1", null);
                JsonObject command = g.next();
                task = command.getAsJsonObject("payload").get("task_id").getAsString();

                p.restart(Duration.ZERO);
                await("every connection dropped", Duration.ofSeconds(5), () -> p.openSessions() == 0);
                ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("restarted"), e.getCause().getMessage());

                try (TestGateway back = new TestGateway(p.uri())) {
                    back.sendCredentials("a", "b", gid);
                    assertEquals("h1", back.next().getAsJsonObject("payload").get("hash").getAsString());
                    assertEquals(200, back.status("event", event("lamp", "on", "1", null)), "the committed devices are listened to again");
                    assertEquals(200, back.status("response", answer(command)), "a late answer is accepted");
                }
            }
            assertEquals(new CommandTally(task, "lamp", 1, 1), p.commandLedger().get(task));
            assertEquals(1, injected(p, FaultKind.RESTARTED));
        }
    }

    @Test
    void aRestartDropsTheConnectionWithoutCloseFrameCanRefuseConnectionsForAWhileAndResetForgetsTheCounts() throws Exception {
        try (RawWebSocket raw = new RawWebSocket(platform.port(), 64 * 1024)) {
            raw.sendText("{\"user\":\"alice\",\"pw\":\"secret\",\"gid\":\"\",\"token\":\"credentials\"}");
            assertTrue(raw.nextText().contains("\"status\":200"));
            platform.restart(Duration.ofSeconds(30));
            assertEquals(-1, raw.awaitEnd(), "the TCP connection ended without close frame");
        }
        assertThrows(Exception.class, () -> new TestGateway(platform.uri()).close());
        assertEquals(1, injected(platform, FaultKind.REFUSED));
        platform.closeAllSessions();
        assertEquals(1, injected(platform, FaultKind.SESSIONS_CLOSED));
        assertEquals(FaultKind.values().length, platform.faults().injected().size(), "every kind, zeros included");

        platform.reset();
        assertTrue(platform.faults().injected().values().stream().allMatch(n -> n == 0));
        assertEquals(Map.of(), platform.commandLedger());
    }
}
