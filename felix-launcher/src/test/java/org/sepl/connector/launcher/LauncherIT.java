package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code felix-launcher.jar} as a user would, in demo mode, in an empty working directory.
 */
class LauncherIT {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern CONTROL_URL = Pattern.compile("curl -s -X POST (http://127\\.0\\.0\\.1:\\d+)/commands");

    @TempDir
    Path workDir;

    private Process process;
    private final StringBuffer console = new StringBuffer();

    @AfterEach
    void killLeftover() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void demoSendsEventsAnswersCommandsAndStopsCleanly() throws Exception {
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        // A faster meter, through FileInstall: also shows that conf/*.cfg reach the bundles.
        Files.writeString(conf.resolve("org.sepl.connector.demo.meter.cfg"), "intervalSeconds=1\n");

        process = start("--conf", "conf", "--log-dir", "logs");
        Thread reader = new Thread(this::readConsole, "launcher-console");
        reader.setDaemon(true);
        reader.start();

        awaitConsole("an acknowledged event", STARTUP, s -> s.contains("Event reading of demo-meter-1 acknowledged: 200"));

        Matcher control = CONTROL_URL.matcher(console);
        assertTrue(control.find(), "the banner shows no curl command:\n" + console);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                .uri(URI.create(control.group(1) + "/commands"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"device\":\"demo-lamp-1\",\"service\":\"on\",\"timeoutSeconds\":10}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().replace("\\\"", "\"").contains("{\"on\":true}"), answer.body());
        awaitConsole("the lamp's log line", Duration.ofSeconds(10), s -> s.contains("lamp is on"));

        // SIGTERM, like Ctrl-C. Through the handle: Process.destroy() would also close our end of the console.
        process.toHandle().destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "launcher still running 30 s after SIGTERM:\n" + console);
        reader.join(5_000);
        int exit = process.exitValue();
        assertTrue(exit == 0 || exit == 143, "exit status " + exit + "\n" + console);
        assertTrue(console.toString().contains("Gateway stopped in"), "no clean stop:\n" + console);

        String logFile = Files.readString(workDir.resolve("logs/gateway.0.log"), StandardCharsets.UTF_8);
        assertTrue(logFile.contains("acknowledged") && logFile.contains("Gateway stopped in"),
                "log file lacks the console's lines:\n" + logFile);
    }

    @Test
    void helpListsTheFlagsAndABadFlagExitsWithStatus2() throws Exception {
        process = start("--help");
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), help);
        assertTrue(help.contains("--platform") && help.contains("--log-file-count"), help);

        process = start("--platform", "http://example.org");
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        String error = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), error);
        assertTrue(error.contains("--platform must start with ws:// or wss://"), error);
    }

    private Process start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("launcher.jar", "target/felix-launcher.jar")).toAbsolutePath();
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
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

    private void awaitConsole(String what, Duration timeout, java.util.function.Predicate<String> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(console.toString())) {
                return;
            }
            if (!process.isAlive()) {
                fail("launcher exited (" + process.exitValue() + ") before " + what + ":\n" + console);
            }
            Thread.sleep(100);
        }
        fail("no " + what + " within " + timeout + ":\n" + console);
    }
}
