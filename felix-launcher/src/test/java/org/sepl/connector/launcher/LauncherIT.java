package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.testkit.PrometheusTextParser;

import com.sun.tools.attach.VirtualMachine;

/**
 * Runs the packaged {@code felix-launcher.jar} as a user would, in an empty working directory: the demo in a 16 MiB
 * heap, the exit statuses and the one line that says why the gateway does not start.
 */
class LauncherIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Pattern CONTROL_URL = Pattern.compile("curl -s -X POST (http://127\\.0\\.0\\.1:\\d+)/commands");
    private static final Pattern METRICS_URL = Pattern.compile("Prometheus metrics on (http://127\\.0\\.0\\.1:\\d+/metrics)");

    @TempDir
    Path workDir;

    @Test
    void demoRunsIn16MiBSendsEventsAnswersCommandsAndStopsCleanly() throws Exception {
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        // A faster meter, through FileInstall: also shows that conf/*.cfg reach the bundles.
        Files.writeString(conf.resolve("org.sepl.connector.demo.meter.cfg"), "intervalSeconds=1\n");

        try (LauncherProcess launcher = LauncherProcess.start(workDir, List.of("-Xmx16m"), "--conf", "conf",
                "--log-dir", "logs")) {
            launcher.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
            launcher.awaitConsole("an acknowledged event", STARTUP,
                    s -> s.contains("Event reading of demo-meter-1 acknowledged: 200"));
            assertTrue(launcher.console().contains("heap max 16 MiB"), launcher.console());
            assertTrue(launcher.console().contains("WebSocket transport tyrus"), "Tyrus is the default:\n"
                    + launcher.console());

            Matcher control = CONTROL_URL.matcher(launcher.console());
            assertTrue(control.find(), "the banner shows no curl command:\n" + launcher.console());
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                    .uri(URI.create(control.group(1) + "/commands"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"device\":\"demo-lamp-1\",\"service\":\"on\",\"timeoutSeconds\":10}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().replace("\\\"", "\"").contains("{\"on\":true}"), answer.body());
            launcher.awaitConsole("the lamp's log line", Duration.ofSeconds(10), s -> s.contains("lamp is on"));

            launcher.terminate();
            int exit = launcher.awaitExit(Duration.ofSeconds(30));
            assertEquals(0, exit, "SIGTERM is a normal stop:\n" + launcher.console());
            assertTrue(launcher.console().contains("Gateway stopped in"), "no clean stop:\n" + launcher.console());
            for (String device : List.of("demo-lamp-1 (demo-lamp) ", "demo-meter-1 (demo-meter) ")) {
                assertEquals(1, launcher.console().lines().filter(l -> l.contains("DevicePublisher - Device " + device))
                        .count(), "each demo device is announced once:\n" + launcher.console());
            }
            assertFalse(launcher.console().contains("OutOfMemoryError"), launcher.console());
        }
        String logFile = Files.readString(workDir.resolve("logs/gateway.0.log"), StandardCharsets.UTF_8);
        assertTrue(logFile.contains("acknowledged") && logFile.contains("Gateway stopped in"),
                "log file lacks the console's lines:\n" + logFile);
        // the durable outbox runs by default; with the demo, in a file of its own (demo events never reach a real platform)
        assertTrue(Files.isRegularFile(workDir.resolve("felix-cache/demo-outbox.db")), "no demo outbox file:\n" + logFile);
    }

    @Test
    void theLeanJdkTransportRunsTheDemoWithoutTyrus() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(workDir, List.of("-Xmx16m"), "--transport", "jdk")) {
            launcher.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
            launcher.awaitConsole("an acknowledged event", STARTUP,
                    s -> s.contains("Event reading of demo-meter-1 acknowledged: 200"));
            assertTrue(launcher.console().contains("WebSocket transport jdk"), launcher.console());
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(Duration.ofSeconds(30)), launcher.console());
            assertFalse(launcher.console().contains("OutOfMemoryError"), launcher.console());
        }
        // the gateway ran without any Tyrus bundle: the framework's cache records each installed bundle's location
        try (var cache = Files.walk(workDir.resolve("felix-cache"))) {
            List<String> locations = cache.filter(f -> f.getFileName().toString().equals("bundle.info"))
                    .map(LauncherIT::read).toList();
            assertTrue(locations.stream().anyMatch(l -> l.contains("connector.transport.jdk.jar")), locations.toString());
            assertTrue(locations.stream().noneMatch(l -> l.contains("tyrus") || l.contains("grizzly")),
                    "Tyrus bundles installed: " + locations);
        }
    }

    @Test
    void metricsAndJmxShowTheClientWithoutItsPassword() throws Exception {
        String password = "pw-never-in-metrics-5150";
        try (LauncherProcess launcher = LauncherProcess.start(workDir, List.of(), "--user", "metrics-user",
                "--password", password, "--metrics", "0")) {
            launcher.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
            launcher.awaitConsole("the metrics' address", STARTUP, s -> METRICS_URL.matcher(s).find());
            Matcher url = METRICS_URL.matcher(launcher.console());
            assertTrue(url.find());

            // Prometheus, as a scraper on this machine sees it
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                    .uri(URI.create(url.group(1))).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", page.headers().firstValue("Content-Type")
                    .orElseThrow());
            Map<String, PrometheusTextParser.Family> metrics = PrometheusTextParser.parse(page.body());
            assertEquals(1.0, metrics.get("sepl_connector_ready").sample("client", "org.sepl.connector.client")
                    .orElseThrow().value(), page.body());
            assertTrue(metrics.get("sepl_connector_request_round_trip_seconds").samples().stream()
                    .anyMatch(s -> s.name().endsWith("_count") && s.value() > 0), page.body());
            assertFalse(page.body().contains(password), "the password in the metrics:\n" + page.body());

            // JMX, as jconsole PID sees it: the JDK's local management agent of the launcher's JVM
            VirtualMachine vm = VirtualMachine.attach(Long.toString(launcher.pid()));
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                ObjectName client = new ObjectName("org.sepl.connector:type=ConnectorClient,"
                        + "name=\"org.sepl.connector.client\"");
                assertEquals("READY", server.getAttribute(client, "State"));
                assertTrue((Long) server.getAttribute(client, "ConnectionsEstablished") >= 1);
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(client).getAttributes()) {
                    String value = String.valueOf(server.getAttribute(client, attribute.getName()));
                    assertFalse(value.contains(password), attribute.getName() + " shows the password");
                }
            } finally {
                vm.detach();
            }
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(Duration.ofSeconds(30)), launcher.console());
        }
    }

    @Test
    void helpAndVersionExit0() throws Exception {
        LauncherProcess help = LauncherProcess.run(workDir, "--help");
        assertEquals(0, help.exitValue(), help.console());
        assertTrue(help.console().contains("--platform") && help.console().contains("--log-file-count")
                && help.console().contains("--import-python-client"), help.console());

        LauncherProcess version = LauncherProcess.run(workDir, "--version");
        assertEquals(0, version.exitValue(), version.console());
        assertTrue(version.console().contains("felix-launcher ") && version.console().contains("Apache Felix 7")
                && version.console().contains("SQLite natives embedded: linux-x86_64,linux-aarch64,linux-arm"),
                version.console());
    }

    @Test
    void aBadCommandLineExits2NamingTheFlag() throws Exception {
        assertUsageError("--platform must start with ws:// or wss://", "--platform", "http://example.org");
        assertUsageError("port 70000 is out of range 1-65535", "--platform", "ws://example.org:70000");
        assertUsageError("the path '/api' would be dropped", "--platform", "wss://example.org:443/api");
        assertUsageError("--conf nowhere: no such directory", "--conf", "nowhere");
        assertUsageError("Unknown option: '--bogus'", "--bogus");
        assertFalse(Files.exists(workDir.resolve("felix-cache")), "a refused command line must not start anything");
    }

    @Test
    void anInvalidClientConfigurationExits1WithOneLine() throws Exception {
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        Files.writeString(conf.resolve("org.sepl.connector.client.cfg"), "host=127.0.0.1\nport=1\n.password=x\n");
        LauncherProcess launcher = LauncherProcess.run(workDir);
        assertEquals(1, launcher.exitValue(), launcher.console());
        String last = lastLine(launcher.console());
        assertTrue(last.startsWith("felix-launcher: the client cannot start:") && last.contains("'user'"), last);
    }

    @Test
    void aBadValueInTheConfFileIsOneLineNamingTheFilePropertyValueAndFixWithoutAStackTrace() throws Exception {
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        Path file = conf.resolve("org.sepl.connector.client.cfg");
        Files.writeString(file, "host=127.0.0.1\nport=eighty\nuser=alice\n.password=s3cret\n");
        LauncherProcess launcher = LauncherProcess.run(workDir);
        String console = launcher.console();
        assertEquals(1, launcher.exitValue(), console);
        String last = lastLine(console);
        assertTrue(last.startsWith("felix-launcher: the client cannot start: Invalid configuration "
                + "org.sepl.connector.client in ") && last.contains("org.sepl.connector.client.cfg")
                && last.contains("property 'port' = \"eighty\": must be a whole number between 1 and 65535")
                && last.contains("corrected"), last);
        assertFalse(console.contains("\tat ") || console.contains("Exception"), "no stack trace:\n" + console);
        assertFalse(console.contains("s3cret"), console);
    }

    @Test
    void runningOutOfMemoryWhileStartingExits1WithOneLine() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(workDir, List.of("-Xmx6m"))) {
            assertEquals(1, launcher.awaitExit(STARTUP), launcher.console());
            assertTrue(launcher.console().contains("felix-launcher: out of memory"), launcher.console());
        }
    }

    @Test
    void aPythonConnectorConfInConfSaysHowToImportIt() throws Exception {
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        Files.writeString(conf.resolve("connector.conf"), "[CONNECTOR]\nhost = h\nport = 1\n");
        LauncherProcess launcher = LauncherProcess.run(workDir);
        assertEquals(1, launcher.exitValue(), launcher.console());
        assertTrue(lastLine(launcher.console()).contains("--import-python-client"), launcher.console());
        assertFalse(launcher.console().contains("SEPL connector demo"), "the demo must not start:\n" + launcher.console());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertUsageError(String message, String... args) throws Exception {
        LauncherProcess launcher = LauncherProcess.run(workDir, args);
        assertEquals(2, launcher.exitValue(), launcher.console());
        assertTrue(launcher.console().contains(message), launcher.console());
    }

    private static String lastLine(String console) {
        String[] lines = console.strip().split("\n");
        return lines[lines.length - 1];
    }
}
