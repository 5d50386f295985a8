package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.emulator.PlatformEmulator;

/**
 * Passwords from the environment or a secrets file ({@code $[env:NAME]}, {@code $[secret:FILE]}, Config Admin's
 * interpolation plugin): the client gets them (the platform emulator accepts the login), and nothing an operator or
 * another local user can read shows them: not {@code ps}, not the console or the log file at the most verbose level,
 * not {@code sepl:status}, not the client's service properties, not a file the gateway wrote (Config Admin's store
 * keeps the placeholder).
 */
class SecretsIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final String PASSWORD_VARIABLE = "SEPL_TEST_PASSWORD";

    private final String password = "pw-" + UUID.randomUUID();
    private final String trustStorePassword = "ts-" + UUID.randomUUID();

    @TempDir
    Path workDir;

    @Test
    void secretsFromTheEnvironmentAndASecretsFileReachTheClientAndShowNowhere() throws Exception {
        try (PlatformEmulator platform = PlatformEmulator.builder().port(0).user("alice", password).start()) {
            Path conf = Files.createDirectories(workDir.resolve("conf"));
            Files.writeString(conf.resolve("org.sepl.connector.client.cfg"), "host=127.0.0.1\nport=" + platform.port()
                    + "\nuser=alice\n.password=$[env:" + PASSWORD_VARIABLE + "]\n"
                    + ".trustStorePassword=$[secret:truststore-password]\n");
            Path secrets = Files.createDirectories(workDir.resolve("secrets"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(secrets.resolve("truststore-password"), trustStorePassword + "\n");

            try (LauncherProcess gateway = LauncherProcess.start(workDir, List.of(),
                    Map.of(PASSWORD_VARIABLE, password), "--log-level", "trace")) {
                gateway.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
                assertEquals(1, platform.gateways().size(), "the platform accepted the password from the environment");
                assertTrue(gateway.console().contains("FINEST"), "runs at the most verbose level");
                assertNoSecret("ps", commandLine(gateway.pid()));

                LauncherProcess status = LauncherProcess.run(workDir, "status");
                assertTrue(status.console().contains("READY"), status.console());
                assertNoSecret("sepl:status", status.console());
                LauncherProcess services = LauncherProcess.run(workDir, "shell", "inspect", "cap", "service",
                        "connector.impl");
                assertTrue(services.console().contains("org.sepl.connector.api.ConnectorClient")
                        && services.console().contains("user = alice"), services.console());
                assertNoSecret("the client's service properties", services.console());

                assertEquals(0, LauncherProcess.run(workDir, "shell", "stop", "0").exitValue());
                assertEquals(0, gateway.awaitExit(Duration.ofSeconds(30)), gateway.console());
                assertNoSecret("the console", gateway.console());
            }
        }
        assertNoSecretInFilesOf(workDir, workDir.resolve("secrets"));
        assertTrue(storedClientConfiguration().contains("$[env:" + PASSWORD_VARIABLE + "]"),
                "Config Admin stores the placeholder: " + storedClientConfiguration());
        assertTrue(storedClientConfiguration().contains("$[secret:truststore-password]"), storedClientConfiguration());
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(workDir.resolve("felix-cache"))));
    }

    @Test
    void passwordEnvOnTheCommandLineKeepsThePasswordOutOfPsAndOfTheStore() throws Exception {
        try (PlatformEmulator platform = PlatformEmulator.builder().port(0).user("alice", password).start()) {
            try (LauncherProcess gateway = LauncherProcess.start(workDir, List.of(),
                    Map.of(PASSWORD_VARIABLE, password), "--platform", "ws://127.0.0.1:" + platform.port(), "--user",
                    "alice", "--password-env", PASSWORD_VARIABLE)) {
                gateway.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
                assertNoSecret("ps", commandLine(gateway.pid()));
                gateway.terminate();
                assertEquals(0, gateway.awaitExit(Duration.ofSeconds(30)), gateway.console());
                assertNoSecret("the console", gateway.console());
            }
        }
        assertNoSecretInFilesOf(workDir, null);
        assertTrue(storedClientConfiguration().contains(".password=\"$[env:" + PASSWORD_VARIABLE + "]\""),
                storedClientConfiguration());
    }

    @Test
    void aPlaceholderThatCannotBeResolvedIsNamedInAWarning() throws Exception {
        try (PlatformEmulator platform = PlatformEmulator.builder().port(0).user("alice", password).start()) {
            Path conf = Files.createDirectories(workDir.resolve("conf"));
            Files.writeString(conf.resolve("org.sepl.connector.client.cfg"), "host=127.0.0.1\nport=" + platform.port()
                    + "\nuser=alice\n.password=$[env:SEPL_TEST_NOT_SET]\n.trustStorePassword=$[secret:nothing-here]\n");
            try (LauncherProcess gateway = LauncherProcess.start(workDir, List.of())) {
                gateway.awaitConsole("the warnings", STARTUP, s -> s.contains("property '.password' keeps "
                        + "$[env:SEPL_TEST_NOT_SET] as it is: the gateway's environment has no variable "
                        + "SEPL_TEST_NOT_SET") && s.contains("property '.trustStorePassword' keeps "
                                + "$[secret:nothing-here] as it is: no readable file nothing-here in the secrets "
                                + "directory " + workDir.resolve("secrets").toAbsolutePath()));
                gateway.terminate();
                gateway.awaitExit(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void passwordEnvNamingNoVariableIsABadCommandLine() throws Exception {
        LauncherProcess launcher = LauncherProcess.run(workDir, "--platform", "ws://127.0.0.1:1", "--user", "alice",
                "--password-env", "SEPL_TEST_NOT_SET");
        assertEquals(2, launcher.exitValue(), launcher.console());
        assertTrue(launcher.console().contains("--password-env SEPL_TEST_NOT_SET: the launcher's environment has no "
                + "variable SEPL_TEST_NOT_SET"), launcher.console());
    }

    /** What {@code ps} shows of the process, as every local user can see it. */
    private static String commandLine(long pid) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-ww", "-o", "args=", "-p", Long.toString(pid)).redirectErrorStream(true)
                .start();
        String shown = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, ps.waitFor(), shown);
        assertTrue(shown.contains("felix-launcher.jar"), shown);
        return shown;
    }

    private void assertNoSecret(String where, String text) {
        assertFalse(text.contains(password), "the password shows in " + where + ":\n" + text);
        assertFalse(text.contains(trustStorePassword), "the trust store password shows in " + where + ":\n" + text);
    }

    /** Every file under {@code dir} (logs, felix-cache with Config Admin's store, conf), except {@code except}'s. */
    private void assertNoSecretInFilesOf(Path dir, Path except) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile).filter(f -> except == null || !f.startsWith(except)).forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith("client.config")), files.toString());
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertNoSecret(dir.relativize(file).toString(), content.contains(password)
                    || content.contains(trustStorePassword) ? content : "");
        }
    }

    /** Config Admin's file of the client configuration in the data area. */
    private String storedClientConfiguration() throws IOException {
        try (Stream<Path> all = Files.walk(workDir.resolve("felix-cache"))) {
            Path file = all.filter(f -> f.endsWith(Path.of("config/org/sepl/connector/client.config"))).findFirst()
                    .orElseThrow();
            return Files.readString(file, StandardCharsets.UTF_8);
        }
    }
}
