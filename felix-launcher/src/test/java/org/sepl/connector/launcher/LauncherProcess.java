package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged {@code felix-launcher.jar} run as a user runs it, in a child JVM in a given working directory, its
 * console (stdout and stderr) collected line by line. Waits on what the console shows, never on time alone.
 */
final class LauncherProcess implements AutoCloseable {

    private final Process process;
    private final StringBuffer console = new StringBuffer();
    private final Thread reader;

    private LauncherProcess(Process process) {
        this.process = process;
        reader = new Thread(this::readConsole, "launcher-console");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java [jvmOptions] -jar felix-launcher.jar args} in {@code workDir}. */
    static LauncherProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        return start(workDir, jvmOptions, Map.of(), args);
    }

    /** As {@link #start(Path, List, String...)}, with {@code environment} added to the launcher's environment. */
    static LauncherProcess start(Path workDir, List<String> jvmOptions, Map<String, String> environment,
            String... args) throws IOException {
        Path jar = Path.of(System.getProperty("launcher.jar", "target/felix-launcher.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new LauncherProcess(builder.start());
    }

    /** Runs the launcher to its end. */
    static LauncherProcess run(Path workDir, String... args) throws IOException, InterruptedException {
        LauncherProcess launcher = start(workDir, List.of(), args);
        launcher.awaitExit(Duration.ofSeconds(60));
        return launcher;
    }

    /** @return the process id, as {@code ps} shows it */
    long pid() {
        return process.pid();
    }

    /**
     * @return whether the console shows the client ready for {@code gatewayId} (any id if null): connector.impl logs
     *         {@code Ready: gateway ID ...} (or, newer, {@code Ready in 1,234 ms: gateway ID ...})
     */
    static boolean showsReady(String console, String gatewayId) {
        return java.util.regex.Pattern.compile("Ready[^:\\n]*: gateway "
                + (gatewayId == null ? "\\S+" : java.util.regex.Pattern.quote(gatewayId))).matcher(console).find();
    }

    String console() {
        return console.toString();
    }

    /** @return the exit status, once the process ended */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
                "launcher still running after " + timeout + ":\n" + console);
        reader.join(5_000);
        return process.exitValue();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Waits until the console satisfies {@code condition}; fails if the launcher exits first or time runs out. */
    void awaitConsole(String what, Duration timeout, Predicate<String> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(console.toString())) {
                return;
            }
            if (!process.isAlive()) {
                reader.join(5_000);
                if (condition.test(console.toString())) {
                    return;
                }
                fail("launcher exited (" + process.exitValue() + ") before " + what + ":\n" + console);
            }
            Thread.sleep(100);
        }
        fail("no " + what + " within " + timeout + ":\n" + console);
    }

    /** The gateway id in the console's first {@code Ready} line, or null. */
    static String readyGatewayId(String console) {
        java.util.regex.Matcher ready = java.util.regex.Pattern.compile("Ready[^:\\n]*: gateway (\\S+)").matcher(console);
        return ready.find() ? ready.group(1) : null;
    }

    /** SIGTERM, as systemd stops a service. Through the handle: Process.destroy() would also close our end of the console. */
    void terminate() {
        process.toHandle().destroy();
    }

    private void readConsole() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                console.append(line).append('\n');
            }
        } catch (IOException e) {
            console.append("[console read failed: ").append(e).append("]\n");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
