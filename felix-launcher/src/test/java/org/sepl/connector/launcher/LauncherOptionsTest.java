package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherOptionsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsRunTheDemoFromConfAndLogs() {
        LauncherOptions options = LauncherOptions.parse();
        assertNull(options.platform());
        assertEquals(Path.of("conf"), options.confDir());
        assertEquals(Path.of("logs"), options.logDir());
        assertEquals(10L * 1024 * 1024, options.logFileSize());
        assertEquals(5, options.logFileCount());
    }

    @Test
    void parsesEveryFlagWithSpaceOrEquals() {
        LauncherOptions options = LauncherOptions.parse("--platform", "wss://example.org:8443", "--user=alice",
                "--password", "s3cret", "--demo", "--conf", dir.toString(), "--log-dir=l", "--log-file-size", "1000",
                "--log-file-count=3");
        assertEquals("example.org", options.platformHost());
        assertEquals(8443, options.platformPort());
        assertTrue(options.platformEncrypted());
        assertEquals("alice", options.user());
        assertEquals("s3cret", options.password());
        assertTrue(options.demo());
        assertEquals(dir, options.confDir());
        assertEquals(Path.of("l"), options.logDir());
        assertEquals(1000, options.logFileSize());
        assertEquals(3, options.logFileCount());
        assertFalse(options.toString().contains("s3cret"), "toString must not show the password");
    }

    @Test
    void webConsoleIsOffByDefaultTakesAnOptionalPortAndIsLoopback() throws IOException {
        assertNull(LauncherOptions.parse().webConsolePort());
        LauncherOptions bare = LauncherOptions.parse("--web-console");
        assertEquals(WebConsole.DEFAULT_PORT, bare.webConsolePort());
        assertEquals("127.0.0.1", bare.webConsoleHost());
        assertEquals(0, LauncherOptions.parse("--web-console", "0").webConsolePort());
        assertEquals(9000, LauncherOptions.parse("--web-console=9000", "--demo").webConsolePort());

        WebConsole generated = WebConsole.from(LauncherOptions.parse("--web-console", "0"));
        assertTrue(generated.generated() && generated.password().length() >= 20, generated.toString());
        assertTrue(generated.port() > 0);
        String hash = (String) generated.frameworkProperties().get("felix.webconsole.password");
        assertTrue(hash.startsWith("{sha-256}") && !hash.contains(generated.password()), hash);
        assertFalse(generated.toString().contains(generated.password()));

        Path file = Files.writeString(dir.resolve("console-password"), "correct horse\nignored\n");
        WebConsole configured = WebConsole.from(LauncherOptions.parse("--web-console", "--web-console-password-file",
                file.toString()));
        assertEquals("correct horse", configured.password());
        assertFalse(configured.banner().contains("correct horse"), configured.banner());
    }

    @Test
    void metricsAreOffByDefaultTakeAnOptionalPortAndAreLoopback() {
        assertNull(LauncherOptions.parse().metricsPort());
        LauncherOptions bare = LauncherOptions.parse("--metrics");
        assertEquals(MetricsEndpoint.DEFAULT_PORT, bare.metricsPort());
        assertEquals("127.0.0.1", bare.metricsHost());
        assertEquals(0, LauncherOptions.parse("--metrics", "0").metricsPort());
        assertEquals("0.0.0.0", LauncherOptions.parse("--metrics=9100", "--metrics-host", "0.0.0.0").metricsHost());
    }

    @Test
    void metricsFlagsAreChecked() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse("--metrics", "70000"))
                .getMessage().contains("--metrics 70000: not a port"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse("--metrics-host", "0.0.0.0")).getMessage()
                .contains("--metrics-host needs --metrics"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse("--metrics", "--metrics-host", " ")).getMessage()
                .contains("--metrics-host must not be empty"));
    }

    @Test
    void webConsoleFlagsAreChecked() {
        for (String[] bad : new String[][] { { "--web-console", "65536" }, { "--web-console", "-1" },
                { "--web-console", "x" }, { "--web-console-host", "0.0.0.0" },
                { "--web-console", "--web-console-password-file", "no-such-file" } }) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse(bad)).getMessage()
                    .contains("--web-console"), String.join(" ", bad));
        }
    }

    @Test
    void usageListsEveryFlag() {
        for (String flag : new String[] { "--platform", "--user", "--password", "--demo", "--conf", "--log-dir",
                "--log-file-size", "--log-file-count", "--help", "--version", "--import-python-client", "--web-console",
                "--web-console-host", "--web-console-password-file", "--password-env", "--secrets-dir", "--log-level",
                "--demo-host", "status", "shell" }) {
            assertTrue(LauncherOptions.usage().contains(flag), flag);
        }
    }

    @Test
    void badInputIsRejectedNamingTheFlag() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse("--platform", "http://x:1"))
                .getMessage().contains("--platform"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse("--log-file-count", "x"))
                .getMessage().contains("--log-file-count"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse("--user"))
                .getMessage().contains("--user"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse("--bogus"))
                .getMessage().contains("--bogus"));
    }

    @Test
    void platformAddressesThatWouldBeMisreadAreRefused() {
        for (String bad : new String[] { "ws://h:0", "ws://h:65536", "ws://h:70000", "wss://h:", "ws://h:eighty",
                "ws://h:8080/api", "ws://h:8080/?x=1", "ws://h:8080/#f", "ws://bob@h:8080", "ws://", "ws:///x",
                "tcp://h:1", "h:1" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LauncherOptions.parse("--platform", bad), bad);
            assertTrue(e.getMessage().contains("--platform") && e.getMessage().contains(bad), e.getMessage());
        }
        assertEquals(65535, LauncherOptions.parse("--platform", "ws://h:65535/").platformPort());
        assertEquals(1, LauncherOptions.parse("--platform", "ws://h:1").platformPort());
    }

    @Test
    void aMissingPortIsTheSchemesDefaultAndIsReportedAsSuch() {
        PlatformAddress ws = LauncherOptions.parse("--platform", "ws://h").platformAddress();
        assertEquals(80, ws.port());
        assertTrue(ws.portDefaulted());
        PlatformAddress wss = LauncherOptions.parse("--platform", "wss://h/").platformAddress();
        assertEquals(443, wss.port());
        assertTrue(wss.portDefaulted());
        assertFalse(LauncherOptions.parse("--platform", "wss://h:443").platformAddress().portDefaulted());
    }

    @Test
    void confMustNameAnExistingDirectory() throws IOException {
        Path missing = dir.resolve("nowhere");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse("--conf", missing.toString()));
        assertTrue(e.getMessage().contains("--conf") && e.getMessage().contains("no such directory"), e.getMessage());
        Path file = Files.writeString(dir.resolve("file"), "x");
        e = assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse("--conf", file.toString()));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void importCannotBeCombinedWithAPlatform() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse("--import-python-client", "py", "--platform", "ws://h:1"));
        assertTrue(e.getMessage().contains("--import-python-client"), e.getMessage());
        assertEquals(Path.of("py"), LauncherOptions.parse("--import-python-client=py").importPythonClient());
    }

    @Test
    void aPythonConnectorConfInConfStopsTheDemoWithTheCommandToRun() throws IOException {
        Files.writeString(dir.resolve("connector.conf"), "[CONNECTOR]\nhost = h\n");
        GatewayStartException e = assertThrows(GatewayStartException.class,
                () -> ClientSetup.plan(LauncherOptions.parse("--conf", dir.toString())));
        assertTrue(e.getMessage().contains("--import-python-client"), e.getMessage());
        assertEquals(ClientSetup.Mode.DEMO, ClientSetup.plan(LauncherOptions.parse("--conf", dir.toString(), "--demo")).mode());
    }

    @Test
    void withoutAnyPlatformTheDemoRuns() {
        ClientSetup.Plan plan = ClientSetup.plan(LauncherOptions.parse("--conf", dir.toString()));
        assertEquals(ClientSetup.Mode.DEMO, plan.mode());
        assertTrue(plan.startDemo());
    }

    @Test
    void aClientFileInConfMeansFileInstallConfiguresTheClient() throws IOException {
        Files.writeString(dir.resolve("org.sepl.connector.client-home.cfg"), "host=h\n");
        ClientSetup.Plan plan = ClientSetup.plan(LauncherOptions.parse("--conf", dir.toString()));
        assertEquals(ClientSetup.Mode.CONF_DIRECTORY, plan.mode());
        assertFalse(plan.startDemo());
        assertEquals(1, plan.expectedClients());
    }

    @Test
    void aSingletonBesideFactoryFilesIsRefusedNamingTheFix() throws IOException {
        Files.writeString(dir.resolve("org.sepl.connector.client.cfg"), "host=h\n");
        Files.writeString(dir.resolve("org.sepl.connector.client-lab.cfg"), "host=h\n");
        GatewayStartException e = assertThrows(GatewayStartException.class,
                () -> ClientSetup.plan(LauncherOptions.parse("--conf", dir.toString())));
        assertTrue(e.getMessage().contains("[org.sepl.connector.client-lab.cfg]")
                && e.getMessage().contains("rename org.sepl.connector.client.cfg to org.sepl.connector.client-NAME.cfg"),
                e.getMessage());

        Files.delete(dir.resolve("org.sepl.connector.client.cfg"));
        e = assertThrows(GatewayStartException.class, () -> ClientSetup.plan(LauncherOptions.parse("--conf",
                dir.toString(), "--platform", "ws://h:1", "--user", "u", "--password", "p")));
        assertTrue(e.getMessage().contains("--platform") && e.getMessage().contains("-NAME.cfg"), e.getMessage());
    }

    @Test
    void twoFactoryFilesExpectTwoClients() throws IOException {
        Files.writeString(dir.resolve("org.sepl.connector.client-home.cfg"), "host=h\n");
        Files.writeString(dir.resolve("org.sepl.connector.client-lab.cfg"), "host=h\n");
        assertEquals(2, ClientSetup.plan(LauncherOptions.parse("--conf", dir.toString())).expectedClients());
    }

    @Test
    void commandLineOverridesTheConfFile() throws IOException {
        Files.writeString(dir.resolve("org.sepl.connector.client.cfg"),
                "host=old\nport=1\nuser=bob\n.password=old\nrequestTimeoutMillis=5000\n");
        LauncherOptions options = LauncherOptions.parse("--conf", dir.toString(), "--platform", "ws://new:9000",
                "--password", "pw");
        ClientSetup.Plan plan = ClientSetup.plan(options);
        assertEquals(ClientSetup.Mode.COMMAND_LINE, plan.mode());
        Map<String, Object> config = ClientSetup.commandLineConfig(plan, options);
        assertEquals("new", config.get("host"));
        assertEquals(9000, config.get("port"));
        assertEquals(false, config.get("encryption"));
        assertEquals("bob", config.get("user"));
        assertEquals("pw", config.get(".password"));
        assertEquals("5000", config.get("requestTimeoutMillis"));
        assertTrue("org.sepl.connector.client.cfg".matches(ClientSetup.FILTER_WITHOUT_CLIENT_FILE) == false);
        assertTrue("org.sepl.connector.demo.meter.cfg".matches(ClientSetup.FILTER_WITHOUT_CLIENT_FILE));
    }

    @Test
    void platformWithoutCredentialsNamesTheMissingFlag() {
        LauncherOptions options = LauncherOptions.parse("--conf", dir.toString(), "--platform", "ws://h:1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientSetup.commandLineConfig(ClientSetup.plan(options), options));
        assertTrue(e.getMessage().contains("--user"), e.getMessage());
    }

    @Test
    void anAddressWithoutSchemeGetsTheSameHelpAsHostPort() {
        for (String bare : new String[] { "localhost:18080", "127.0.0.1:18080", "example.org" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LauncherOptions.parse("--platform", bare));
            assertEquals("--platform must start with ws:// or wss://, was '" + bare + "': for an unencrypted "
                    + "connection write ws://" + bare + ", with TLS wss://" + bare, e.getMessage());
        }
    }

    @Test
    void passwordEnvWritesThePlaceholderAndAPlainPasswordIsTakenLiterally() {
        LauncherOptions fromEnv = LauncherOptions.parse("--conf", dir.toString(), "--platform", "ws://h:1", "--user",
                "u", "--password-env", "SEPL_PASSWORD");
        assertEquals("SEPL_PASSWORD", fromEnv.passwordEnv());
        assertEquals("$[env:SEPL_PASSWORD]",
                ClientSetup.commandLineConfig(ClientSetup.plan(fromEnv), fromEnv).get(".password"));

        LauncherOptions literal = LauncherOptions.parse("--conf", dir.toString(), "--platform", "ws://h:1", "--user",
                "u", "--password", "a$[env:HOME]b");
        assertEquals("a\\$[env:HOME]b", ClientSetup.commandLineConfig(ClientSetup.plan(literal), literal)
                .get(".password"), "escaped: the interpolation plugin hands it over as given");
        assertEquals("$[secret:platform-password]", ConfigurationSecrets.secretPlaceholder("platform-password"));
        assertEquals(Path.of("secrets"), literal.secretsDir());
        assertEquals(Path.of("s"), LauncherOptions.parse("--secrets-dir", "s").secretsDir());
    }

    @Test
    void passwordFlagsAreChecked() {
        for (String[] bad : new String[][] { { "--password-env", "1ABC" }, { "--password-env", "A-B" },
                { "--password-env", "A", "--password", "p" }, { "--import-python-client", "py", "--password-env", "A" },
                { "--secrets-dir", " " } }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse(bad),
                    String.join(" ", bad));
            assertTrue(e.getMessage().contains(bad[0]) || e.getMessage().contains(bad[2]), e.getMessage());
        }
    }

    @Test
    void logLevelSetsEveryLoggerAndNeverShowsConfigAdminsConfigurations() {
        assertEquals(LogLevel.INFO, LauncherOptions.parse().logLevel());
        assertEquals(LogLevel.DEBUG, LauncherOptions.parse("--log-level", "debug").logLevel());
        assertEquals(LogLevel.WARNING, LauncherOptions.parse("--log-level=WARN").logLevel());
        assertEquals(LogLevel.TRACE, LauncherOptions.parse("--log-level", "trace").logLevel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse("--log-level", "loud"));
        assertEquals("--log-level 'loud': not a level; give one of error, warning, info, debug, trace", e.getMessage());

        assertEquals(Map.of("ds.loglevel", "warn", "felix.fileinstall.log.level", "2", "felix.cm.loglevel", "2",
                "felix.log.level", "2"), LogLevel.INFO.frameworkProperties(), "as the launcher always ran them");
        Map<String, Object> trace = LogLevel.TRACE.frameworkProperties();
        assertEquals("debug", trace.get("ds.loglevel"));
        assertEquals("TRACE", trace.get(LogLevel.OSGI_LOG_ADMIN_LEVEL));
        assertEquals("3", trace.get("felix.cm.loglevel"), "at 4 Config Admin prints whole configurations");

        assertEquals(0, LauncherOptions.parse("--log-file-count", "0").logFileCount());
        assertEquals(5, LauncherOptions.parse("--log-file-count", "0", "--log-file-count", "5").logFileCount(),
                "the last one counts: the Debian unit's flags, then the operator's");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse("--log-file-count", "-1"))
                .getMessage().contains("--log-file-count"));
    }

    @Test
    void statusAndShellAskTheRunningGatewayAndTakeNoLauncherFlags() {
        assertNull(LauncherOptions.parse().remote());
        assertEquals(new LauncherOptions.RemoteCommand("sepl:status"), LauncherOptions.parse("status").remote());
        assertTrue(LauncherOptions.parse("shell").remote().interactive());
        assertEquals("stop 0", LauncherOptions.parse("shell", "stop", "0").remote().commandLine());
        assertEquals("lb | grep SEPL", LauncherOptions.parse("shell", "lb | grep SEPL").remote().commandLine());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse("--conf", dir.toString(), "status"));
        assertTrue(e.getMessage().contains("'status'") && e.getMessage().contains("no launcher flags"), e.getMessage());
    }

    @Test
    void theDemoListensOnLoopbackUnlessToldOtherwise() {
        assertEquals("127.0.0.1", LauncherOptions.parse().demoHost());
        assertEquals("0.0.0.0", LauncherOptions.parse("--demo-host", "0.0.0.0").demoHost());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse("--demo-host", ""))
                .getMessage().contains("--demo-host"));
    }
}
