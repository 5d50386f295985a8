package org.sepl.connector.itests.soak;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.Device;
import org.sepl.connector.emulator.CommandTally;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.sqlite.SqliteDeviceManager;

/**
 * Issue 27 item 3, the soak: a gateway process on its SQLite outbox and device store, streaming events, churning
 * devices and answering commands, against the platform emulator, while a seeded schedule mixes the platform's faults
 * ({@link PlatformChaos}) with the gateway's: SIGKILL and restart, normal stop and restart (both in the first half, so
 * that the last life runs at least half the time and its resources can be compared), device manager swaps. Then a
 * quiet end: faults cleared, a batch of commands with duplicated deliveries, the last life drains its outbox and
 * stops; {@link SoakVerdict} checks and summarises.
 * <p>
 * {@code -Dsoak.duration=PT2M} (default; {@code mvn -B verify} runs it so), {@code -Dsoak.seed=N} to replay a run's
 * choices (printed at start; the timing of two runs still differs), {@code -Dsoak.eventsPerSecond},
 * {@code -Dsoak.commandsPerSecond}. The gateway's files and each life's stderr are in {@code target/soak/}.
 */
class SoakIT {

    /** Commands of the quiet end, and how many of them the platform delivers twice. */
    private static final int FINAL_COMMANDS = 10;
    private static final int FINAL_DUPLICATED = 3;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void aGatewayUnderChaosLosesNothingAnswersEveryCommandOnceAndStaysFlat() throws Exception {
        SoakSettings settings = SoakSettings.from(System.getProperties());
        Path dir = soakDirectory();
        System.out.printf("Soak: seed %d (replay: -D%s=%d), chaos for %s, gateway files in %s%n", settings.seed(),
                SoakSettings.SEED, settings.seed(), settings.duration(), dir);
        SplittableRandom random = new SplittableRandom(settings.seed());
        GatewayReports reports = new GatewayReports();
        try (PlatformEmulator platform = PlatformEmulator.builder()
                .user(SoakGateway.USER, SoakGateway.PASSWORD)
                .linkFaults(true)
                .stateFile(dir.resolve("platform-state.json"))
                .pingInterval(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5)) // a silenced connection is dropped on the platform's side too
                .eventHistory(historyFor(settings))
                .start();
                GatewayLives lives = new GatewayLives(dir, platform.port(), settings, reports)) {
            platform.faults().seed(settings.seed());
            PlatformChaos chaos = new PlatformChaos(platform, random.split());
            CommandTraffic commands = new CommandTraffic(platform, settings.commandsPerSecond(), random.split());

            lives.startNext();
            lives.awaitReady();
            commands.start();
            chaos.armShares();
            runChaos(settings, random, lives, chaos, reports);
            chaos.calm();
            commands.stop();

            lives.awaitSteadilyReady(System.nanoTime());
            commandsWithDuplicatesAreAnsweredAgainWithoutRunningTwice(platform, reports);
            boolean reconnected = lives.finish(
                    () -> platform.gateways().stream().findFirst().map(PlatformEmulator.Gateway::hash).orElse(""),
                    platform::closeAllSessions);

            Collection<Device> stored;
            try (SqliteDeviceManager store = SqliteDeviceManager.open(dir.resolve(SoakGateway.DEVICES_FILE))) {
                stored = store.devices();
            }
            SoakVerdict verdict = new SoakVerdict(settings, reports, lives, platform, chaos, commands, stored,
                    reconnected);
            System.out.println(verdict.summary());
            assertEquals(List.of(), verdict.failures(), "soak with seed " + settings.seed() + ":\n" + verdict.summary());
        }
    }

    /**
     * The chaos: until the duration is up, a pause of 0.5 to 1.5 times {@link SoakSettings#meanPause()}, then one thing
     * chosen at random: a kill (10 %), a normal stop (5 %), a swap (15 %), else a platform fault. Kills and stops
     * only in the first half, and each at least once by a quarter and a third of the run; a swap at least once by a
     * third.
     */
    private static void runChaos(SoakSettings settings, SplittableRandom random, GatewayLives lives,
            PlatformChaos chaos, GatewayReports reports) throws Exception {
        long start = System.nanoTime();
        long total = settings.duration().toNanos();
        long mean = settings.meanPause().toMillis();
        int swaps = 0;
        for (long elapsed = 0; elapsed < total; elapsed = System.nanoTime() - start) {
            long pause = Math.min(mean / 2 + random.nextLong(mean), TimeUnit.NANOSECONDS.toMillis(total - elapsed));
            Thread.sleep(pause); // the schedule's pace, not a wait for a condition
            elapsed = System.nanoTime() - start;
            GatewayProcess life = lives.current();
            if (!life.isAlive()) {
                throw new AssertionError("gateway life " + life.life() + " ended by itself: " + life.stderrTail(30));
            }
            boolean firstHalf = elapsed < total / 2;
            double roll = random.nextDouble();
            if (firstHalf && (roll < 0.10 || (lives.kills() == 0 && elapsed > total / 4))) {
                lives.killAndRestart();
                log(elapsed, "gateway killed (SIGKILL), life " + lives.current().life() + " started");
            } else if (firstHalf && (roll < 0.15 || (lives.stops() == 0 && elapsed > total / 3))) {
                lives.stopAndRestart();
                log(elapsed, "gateway stopped normally, life " + lives.current().life() + " started");
            } else if (roll < 0.30 || (swaps == 0 && elapsed > total / 3)) {
                if (lives.swap()) {
                    swaps++;
                }
                log(elapsed, "device manager swap ordered");
            } else {
                log(elapsed, chaos.inject());
            }
        }
        log(System.nanoTime() - start, "chaos over; " + reports.linkLosses() + " link losses reported so far");
    }

    /**
     * The quiet end's commands: with the link calm, the platform delivers the first {@value #FINAL_DUPLICATED} of
     * {@value #FINAL_COMMANDS} twice. Every delivery is answered (a duplicate again, by the client), the handler gets
     * each task once and the action runs once per task id.
     */
    private static void commandsWithDuplicatesAreAnsweredAgainWithoutRunningTwice(PlatformEmulator platform,
            GatewayReports reports) throws Exception {
        platform.faults().duplicateNextCommands(FINAL_DUPLICATED);
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < FINAL_COMMANDS; i++) {
            String device = SoakGateway.METERS.get(i % SoakGateway.METERS.size());
            PlatformEmulator.CommandResponse answer = platform.sendCommand(device, CommandTraffic.SERVICE,
                    "{\"final\":" + i + "}", null).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            tasks.add(answer.taskId());
        }
        for (int i = 0; i < tasks.size(); i++) {
            String task = tasks.get(i);
            int deliveries = i < FINAL_DUPLICATED ? 2 : 1;
            CommandTally tally = await("the answers to " + task).atMost(ANSWER_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> platform.commandLedger().get(task), t -> t != null && t.responses() >= deliveries);
            assertEquals(deliveries, tally.deliveries(), "deliveries of " + task);
            assertEquals(deliveries, tally.responses(), "answers to " + task + ": one per delivery");
            // a repeat is answered by the client itself (CommandReplies): the handler gets each task once
            assertEquals(1, reports.handled(task), "deliveries of " + task + " its handler got");
            assertEquals(1, reports.ran(task), "runs of the action of " + task);
        }
    }

    /** {@code target/soak/<time>} when run by Maven (kept for a look after a failure), else a temporary directory. */
    private Path soakDirectory() throws java.io.IOException {
        Path target = Path.of("target");
        if (!java.nio.file.Files.isDirectory(target)) {
            return tmp;
        }
        Path dir = target.resolve("soak").resolve(Long.toString(System.currentTimeMillis()));
        java.nio.file.Files.createDirectories(dir);
        return dir.toAbsolutePath();
    }

    /** Room for every event of the run, duplicates included, and as many commands (the emulator forgets beyond). */
    private static int historyFor(SoakSettings s) {
        long events = s.duration().plusMinutes(3).toSeconds() * s.eventsPerSecond() * 2;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(100_000, events));
    }

    private static void log(long elapsedNanos, String what) {
        System.out.printf("Soak %6.1f s: %s%n", elapsedNanos / 1e9, what);
    }
}
