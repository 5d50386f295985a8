package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher as a service runs it: one launcher per data area, an operator reaching the running gateway
 * through {@code status} and {@code shell} (its Gogo shell over the owner-only socket), {@code stop 0} ending the
 * process with status 0 (SIGTERM: {@code LauncherIT}).
 */
class RunningServiceIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @Test
    void oneLauncherPerDataAreaReachedThroughStatusAndShellAndStop0EndsItWith0() throws Exception {
        try (LauncherProcess gateway = LauncherProcess.start(workDir, List.of())) {
            gateway.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
            gateway.awaitConsole("the shell socket", STARTUP, s -> s.contains("Shell of the running gateway"));
            String gatewayId = LauncherProcess.readyGatewayId(gateway.console());
            assertNotNull(gatewayId, gateway.console());

            assertEquals("rwx------", mode(workDir.resolve("felix-cache")), "the data area is owner-only");
            assertEquals("rw-------", mode(workDir.resolve("felix-cache/shell.socket")));

            LauncherProcess second = LauncherProcess.run(workDir);
            assertEquals(1, second.exitValue(), second.console());
            assertEquals(List.of("felix-launcher: another launcher is running on "
                    + workDir.resolve("felix-cache").toAbsolutePath() + " (it holds the lock "
                    + workDir.resolve("felix-cache/launcher.lock").toAbsolutePath() + "); stop it first (java -jar "
                    + "felix-launcher.jar shell stop 0), or run this one in another working directory"),
                    second.console().lines().toList(), "one line naming the lock");

            LauncherProcess status = LauncherProcess.run(workDir, "status");
            assertEquals(0, status.exitValue(), status.console());
            assertTrue(status.console().contains("READY") && status.console().contains(gatewayId), status.console());

            LauncherProcess bundles = LauncherProcess.run(workDir, "shell", "lb");
            assertEquals(0, bundles.exitValue(), bundles.console());
            assertTrue(bundles.console().contains("|Active     |    2|SEPL connector client"),
                    bundles.console());

            LauncherProcess stop = LauncherProcess.run(workDir, "shell", "stop", "0");
            assertEquals(0, stop.exitValue(), stop.console());
            assertEquals(0, gateway.awaitExit(Duration.ofSeconds(30)), "stop 0 is a normal stop:\n" + gateway.console());
            assertTrue(gateway.console().contains("Gateway stopped in"), gateway.console());
        }
        assertFalse(Files.exists(workDir.resolve("felix-cache/shell.socket")), "the socket goes with the gateway");
        LauncherProcess status = LauncherProcess.run(workDir, "status");
        assertEquals(1, status.exitValue(), status.console());
        assertTrue(status.console().startsWith("felix-launcher: no gateway runs in "), status.console());
    }

    @Test
    void anEarlierDataAreaOpenToOthersIsMadeOwnerOnly() throws Exception {
        Path cache = Files.createDirectories(workDir.resolve("felix-cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LauncherProcess gateway = LauncherProcess.start(workDir, List.of())) {
            gateway.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
            assertEquals("rwx------", mode(cache));
            assertTrue(gateway.console().contains("accessible to its owner only (it was rwxr-xr-x)"), gateway.console());
            gateway.terminate();
            assertEquals(0, gateway.awaitExit(Duration.ofSeconds(30)), gateway.console());
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
