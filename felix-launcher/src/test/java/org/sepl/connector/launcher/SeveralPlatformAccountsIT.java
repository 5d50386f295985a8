package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.emulator.PlatformEmulator;

/**
 * Several platforms at once, as the launcher's README tells: one factory configuration file
 * ({@code conf/org.sepl.connector.client-NAME.cfg}, loaded by FileInstall) per platform account gives one client,
 * and one gateway, per file.
 */
class SeveralPlatformAccountsIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @Test
    void twoFactoryConfFilesGiveTwoConnectedGatewaysOneForEachAccount() throws Exception {
        try (PlatformEmulator platform = PlatformEmulator.builder().port(0).user("alice", "alice-pw")
                .user("bob", "bob-pw").start()) {
            Path conf = Files.createDirectories(workDir.resolve("conf"));
            Files.writeString(conf.resolve("org.sepl.connector.client-home.cfg"), clientCfg(platform, "alice", "alice-pw"));
            Files.writeString(conf.resolve("org.sepl.connector.client-lab.cfg"), clientCfg(platform, "bob", "bob-pw"));

            try (LauncherProcess launcher = LauncherProcess.start(workDir, List.of(), "--conf", "conf")) {
                launcher.awaitConsole("two gateways on the platform, one for each account", STARTUP,
                        s -> owners(platform).equals(Set.of("alice", "bob")) && readyLines(s) >= 2);
                assertEquals(2, platform.gateways().size(), platform.gateways().toString());
                assertEquals(2, platform.openSessions(), "two connections");
                assertFalse(launcher.console().contains("SEPL connector demo"), "no demo:\n" + launcher.console());
                assertFalse(launcher.console().contains("singleton"), launcher.console());

                launcher.terminate();
                int exit = launcher.awaitExit(Duration.ofSeconds(30));
                assertEquals(0, exit, "SIGTERM is a normal stop:\n" + launcher.console());
            }
        }
    }

    private static String clientCfg(PlatformEmulator platform, String user, String password) {
        return "host=127.0.0.1\nport=" + platform.port() + "\nuser=" + user + "\n.password=" + password
                + "\nreconnectInitialDelayMillis=100\nreconnectMaxDelayMillis=500\n";
    }

    private static Set<String> owners(PlatformEmulator platform) {
        return platform.gateways().stream().map(PlatformEmulator.Gateway::user).collect(Collectors.toSet());
    }

    private static long readyLines(String console) {
        return console.lines().filter(line -> LauncherProcess.showsReady(line, null)).count();
    }
}
