package org.sepl.connector.itests.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.sepl.connector.itests.soak.SoakProtocol.Order;

/**
 * One life of the soak gateway: {@link SoakGateway} in a JVM of its own on the test's class path, its stdout read line
 * by line on a thread of its own and handed to a consumer with the life's number, its stderr in a file, its stdin the
 * test's orders. Killed with SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no close, writes
 * cut wherever they are. (connector.impl's {@code ClientKilledMidStreamTest} and felix-launcher's
 * {@code LauncherProcess} run children the same way; they live in those modules' test sources, out of reach here.)
 */
final class GatewayProcess implements AutoCloseable {

    /**
     * A Raspberry-Pi-sized heap, so that a leak shows sooner; the serial collector, so that the gateway's GC does not
     * compete with the test and the platform for the build machine's two cores.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC");

    private final int life;
    private final Process process;
    private final Path stderr;
    private final Thread reader;
    private final OutputStream orders;

    private GatewayProcess(int life, Process process, Path stderr, BiConsumer<Integer, String> lines) {
        this.life = life;
        this.process = process;
        this.stderr = stderr;
        this.orders = process.getOutputStream();
        reader = new Thread(() -> read(lines), "soak-gateway-" + life);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts life {@code life} of the gateway whose files are in {@code dir}; each line it prints goes to {@code lines}. */
    static GatewayProcess start(int life, Path dir, int port, SoakSettings settings, BiConsumer<Integer, String> lines)
            throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SoakGateway.class.getName(),
                Integer.toString(port), dir.toString(), Integer.toString(life),
                Long.toString(settings.seed() + life), Integer.toString(settings.eventsPerSecond()),
                Long.toString(settings.sampleMillis())));
        Path stderr = dir.resolve("life-" + life + ".stderr");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new GatewayProcess(life, p, stderr, lines);
    }

    int life() {
        return life;
    }

    long pid() {
        return process.pid();
    }

    Path stderr() {
        return stderr;
    }

    /** @return whether the order was written (false: the process is gone) */
    boolean order(Order order) {
        try {
            orders.write((order.word() + "\n").getBytes(StandardCharsets.UTF_8));
            orders.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL; returns once the process is gone and every line it printed was handed on. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("gateway life " + life + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
        reader.join(10_000);
    }

    /** @return the exit status once the process ended by itself and its lines were handed on; null if it did not in time */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        reader.join(10_000);
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last {@code n} lines of its stderr, for a failure message. */
    String stderrTail(int n) {
        try {
            List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    private void read(BiConsumer<Integer, String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.accept(life, line);
            }
        } catch (IOException e) {
            // the pipe was cut by a kill: what was read is all the process reported
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
