package org.sepl.connector.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The launcher's command line, parsed by picocli. Immutable; {@link #parse} rejects unknown flags and bad values
 * with an {@link IllegalArgumentException} that names the flag.
 *
 * @param platform           the platform endpoint (checked by {@link PlatformAddress}), or null
 * @param user               platform user, or null
 * @param password           platform password, or null; never printed
 * @param demo               run the demo devices even against a configured platform
 * @param confDir            the directory FileInstall watches for {@code *.cfg} / {@code *.config} (and bundle jars)
 * @param logDir             the directory of the rotating log files
 * @param logFileSize        bytes per log file before it rotates
 * @param logFileCount       how many log files are kept
 * @param help               print the usage and exit
 * @param version            print the version and exit
 * @param importPythonClient the Python connector-client folder to import, or null
 * @param webConsolePort     the Felix Web Console's HTTP port (0: a free one), or null for no web console
 * @param webConsoleHost     the address the web console listens on
 * @param webConsolePasswordFile a file holding the web console's password, or null to generate one
 * @param passwordEnv        the environment variable holding the platform password, or null
 * @param secretsDir         the directory {@code $[secret:NAME]} placeholders read
 * @param logLevel           the level of every logger
 * @param demoHost           the address the demo's platform emulator (WebSocket and web page) listens on
 * @param transport          the WebSocket transport the gateway runs with ({@code tyrus}, {@code jdk})
 * @param metricsPort        the Prometheus endpoint's port (0: a free one), or null for no endpoint
 * @param metricsHost        the address the Prometheus endpoint listens on
 * @param remote             the {@code status} or {@code shell} sub-command: a request to the gateway running in
 *                           this working directory, or null to run the gateway
 */
public record LauncherOptions(URI platform, String user, String password, boolean demo, Path confDir, Path logDir,
        long logFileSize, int logFileCount, boolean help, boolean version, Path importPythonClient,
        Integer webConsolePort, String webConsoleHost, Path webConsolePasswordFile, String passwordEnv,
        Path secretsDir, LogLevel logLevel, String demoHost, String transport, Integer metricsPort, String metricsHost,
        RemoteCommand remote) {

    static final long DEFAULT_LOG_FILE_SIZE = 10L * 1024 * 1024;
    static final int DEFAULT_LOG_FILE_COUNT = 5;
    static final Path DEFAULT_CONF_DIR = Path.of("conf");
    static final Path DEFAULT_LOG_DIR = Path.of("logs");
    static final Path DEFAULT_SECRETS_DIR = Path.of("secrets");
    /** What an environment variable's name may be (POSIX, portable names). */
    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]*";

    public LauncherOptions {
        Objects.requireNonNull(confDir, "confDir must not be null");
        Objects.requireNonNull(logDir, "logDir must not be null");
        Objects.requireNonNull(secretsDir, "secretsDir must not be null");
        Objects.requireNonNull(logLevel, "logLevel must not be null");
        Objects.requireNonNull(demoHost, "demoHost must not be null");
        Objects.requireNonNull(transport, "transport must not be null");
        Objects.requireNonNull(metricsHost, "metricsHost must not be null");
        if (logFileSize <= 0) {
            throw new IllegalArgumentException("--log-file-size must be positive, was " + logFileSize);
        }
        if (logFileCount < 0) {
            throw new IllegalArgumentException("--log-file-count must be 0 (no log file) or more, was " + logFileCount);
        }
    }

    /**
     * A request to the gateway already running in this working directory, over its shell socket
     * ({@link ShellSocket}).
     *
     * @param commandLine the Gogo command line to run, or empty for an interactive shell
     */
    public record RemoteCommand(String commandLine) {
        public RemoteCommand {
            Objects.requireNonNull(commandLine, "commandLine must not be null");
        }

        boolean interactive() {
            return commandLine.isEmpty();
        }
    }

    /** The picocli model of the command line; its descriptions are the usage text. */
    @Command(name = "java -jar felix-launcher.jar", sortOptions = false, usageHelpWidth = 110,
            subcommands = { StatusCommand.class, ShellCommand.class },
            description = {
                    "Runs the SEPL connector gateway: Apache Felix with the connector bundles. Without a configured "
                            + "platform (no --platform, no org.sepl.connector.client configuration in the conf "
                            + "directory) it starts a local platform emulator and demo devices." },
            footer = {
                    "",
                    "Relative paths and the framework cache (felix-cache) are resolved in the working directory.",
                    "Secrets: in conf files write .password=$[env:NAME] or .password=$[secret:FILE] (a file of the "
                            + "secrets directory) instead of the password.",
                    "Exit status: 0 stopped normally, 1 the gateway could not start, 2 bad command line." })
    static final class Flags {
        @Option(names = "--platform", paramLabel = "URI",
                description = "platform endpoint, ws://HOST:PORT or wss://HOST:PORT (no port: 80 for ws, 443 for wss)")
        String platform;

        @Option(names = "--user", paramLabel = "USER",
                description = "platform user (with --platform, or for the demo's emulator)")
        String user;

        @Option(names = "--password", paramLabel = "PASSWORD",
                description = "platform password (with --platform, or for the demo's emulator); every local user sees "
                        + "it in ps: prefer --password-env")
        String password;

        @Option(names = "--password-env", paramLabel = "NAME",
                description = "take the platform password from the environment variable NAME (the configuration "
                        + "keeps $[env:NAME], never the password)")
        String passwordEnv;

        @Option(names = "--secrets-dir", paramLabel = "DIR",
                description = "directory of the files $[secret:FILE] reads in configurations (default: secrets)")
        Path secretsDir = DEFAULT_SECRETS_DIR;

        @Option(names = "--demo", description = "also run the demo devices against the configured platform")
        boolean demo;

        @Option(names = "--demo-host", paramLabel = "HOST",
                description = "address the demo's platform emulator and its web page listen on (default: "
                        + DemoPlatform.DEFAULT_HOST + "; 0.0.0.0: every interface, to watch the page from another "
                        + "machine)")
        String demoHost;

        @Option(names = "--transport", paramLabel = "NAME",
                description = "the WebSocket transport: tyrus (the default: Eclipse Tyrus, the design's) or jdk (the "
                        + "lean one: the JDK's own client, 11 bundles and about 2.1 MB fewer)")
        String transport = TransportBundles.DEFAULT;

        @Option(names = "--conf", paramLabel = "DIR",
                description = "configuration directory watched by FileInstall (default: conf; given, it must exist)")
        Path confDir;

        @Option(names = "--log-dir", paramLabel = "DIR",
                description = "directory of the rotating log files gateway.N.log (default: logs)")
        Path logDir = DEFAULT_LOG_DIR;

        @Option(names = "--log-file-size", paramLabel = "BYTES",
                description = "size of a log file before it rotates (default: " + DEFAULT_LOG_FILE_SIZE + ")")
        long logFileSize = DEFAULT_LOG_FILE_SIZE;

        @Option(names = "--log-file-count", paramLabel = "N",
                description = "number of log files kept (default: " + DEFAULT_LOG_FILE_COUNT + "; 0: no log file, "
                        + "the console only)")
        int logFileCount = DEFAULT_LOG_FILE_COUNT;

        @Option(names = "--log-level", paramLabel = "LEVEL",
                description = "level of every logger: error, warning, info (default), debug, trace (everything)")
        String logLevel = LogLevel.INFO.name();

        @Option(names = "--import-python-client", paramLabel = "DIR",
                description = "import the gateway of a Python connector-client folder (its connector/connector.conf "
                        + "and modules/devices.sqlite) into the conf directory and felix-cache, then exit")
        Path importPythonClient;

        @Option(names = "--web-console", paramLabel = "PORT", arity = "0..1",
                fallbackValue = "" + WebConsole.DEFAULT_PORT,
                description = "also run the Felix Web Console (configuration from metatype, client status) on "
                        + "http://HOST:PORT/system/console (default port " + WebConsole.DEFAULT_PORT + "; 0: a free "
                        + "port); user 'admin', a generated password printed once on the console")
        Integer webConsolePort;

        @Option(names = "--web-console-host", paramLabel = "HOST",
                description = "address the web console listens on (default: " + WebConsole.DEFAULT_HOST
                        + ", this machine only; 0.0.0.0: every interface)")
        String webConsoleHost;

        @Option(names = "--web-console-password-file", paramLabel = "FILE",
                description = "file whose first line is the web console's password (instead of a generated one)")
        Path webConsolePasswordFile;

        @Option(names = "--metrics", paramLabel = "PORT", arity = "0..1",
                fallbackValue = "" + MetricsEndpoint.DEFAULT_PORT,
                description = "serve the clients' figures in the Prometheus text format on http://HOST:PORT/metrics "
                        + "(default port " + MetricsEndpoint.DEFAULT_PORT + "; 0: a free port, named in the log); no "
                        + "authentication, so loopback unless --metrics-host says otherwise")
        Integer metricsPort;

        @Option(names = "--metrics-host", paramLabel = "HOST",
                description = "address the Prometheus endpoint listens on (default: " + MetricsEndpoint.DEFAULT_HOST
                        + ", this machine only; 0.0.0.0: every interface)")
        String metricsHost;

        @Option(names = { "-V", "--version" }, versionHelp = true, description = "print the version and exit")
        boolean version;

        @Option(names = { "-h", "--help" }, usageHelp = true, description = "print this help and exit")
        boolean help;
    }

    /** {@code status}: the running gateway's {@code sepl:status}. */
    @Command(name = "status", description = "print the status of the gateway running in this working directory "
            + "(its sepl:status, through the gateway's shell socket) and exit")
    static final class StatusCommand {
    }

    /** {@code shell [COMMAND...]}: the running gateway's Gogo shell. */
    @Command(name = "shell", description = "the Gogo shell of the gateway running in this working directory (through "
            + "its shell socket, open to this user only); with a COMMAND, run it and exit (e.g. shell lb, shell stop 0)")
    static final class ShellCommand {
        @Parameters(paramLabel = "COMMAND", arity = "0..*",
                description = "a Gogo command line; none: an interactive shell (Ctrl-D leaves it)")
        List<String> command = new ArrayList<>();
    }

    /** @return the usage text, listing every flag */
    static String usage() {
        return new CommandLine(new Flags()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * Parses the command line; flags take their value as the next argument or after {@code =}; of a flag given
     * twice the last one counts.
     *
     * @throws IllegalArgumentException for an unknown flag, a missing value or a bad value, naming the flag
     */
    public static LauncherOptions parse(String... args) {
        Flags flags = new Flags();
        CommandLine.ParseResult parsed;
        try {
            // a flag given twice: the last one counts (a service's own flags after the unit's defaults)
            parsed = new CommandLine(flags).setOverwrittenOptionsAllowed(true).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        RemoteCommand remote = remoteCommand(parsed);
        URI platform = flags.platform == null ? null : PlatformAddress.parse(flags.platform).uri();
        if (flags.user != null) {
            requireNonEmpty("--user", flags.user);
        }
        Path confDir = DEFAULT_CONF_DIR;
        if (flags.confDir != null) {
            confDir = flags.confDir;
            if (confDir.toString().isBlank()) {
                throw new IllegalArgumentException("--conf must not be empty");
            }
            if (!Files.isDirectory(confDir)) {
                throw new IllegalArgumentException("--conf " + confDir + ": " + (Files.exists(confDir)
                        ? "not a directory" : "no such directory") + " (" + confDir.toAbsolutePath() + ")");
            }
        }
        if (flags.logDir.toString().isBlank()) {
            throw new IllegalArgumentException("--log-dir must not be empty");
        }
        if (flags.importPythonClient != null
                && (flags.platform != null || flags.user != null || flags.password != null || flags.demo)) {
            throw new IllegalArgumentException("--import-python-client takes the platform and credentials from the "
                    + "Python client's connector.conf: it cannot be combined with --platform, --user, --password or --demo");
        }
        if (flags.webConsolePort == null && (flags.webConsoleHost != null || flags.webConsolePasswordFile != null)) {
            throw new IllegalArgumentException("--web-console-host and --web-console-password-file need --web-console");
        }
        if (flags.webConsolePort != null && (flags.webConsolePort < 0 || flags.webConsolePort > 65535)) {
            throw new IllegalArgumentException("--web-console " + flags.webConsolePort
                    + ": not a port; give 1-65535, or 0 for a free port");
        }
        if (flags.webConsoleHost != null) {
            requireNonEmpty("--web-console-host", flags.webConsoleHost);
        }
        if (flags.webConsolePasswordFile != null && !Files.isRegularFile(flags.webConsolePasswordFile)) {
            throw new IllegalArgumentException("--web-console-password-file " + flags.webConsolePasswordFile
                    + ": no such file (" + flags.webConsolePasswordFile.toAbsolutePath() + ")");
        }
        if (flags.passwordEnv != null) {
            if (!flags.passwordEnv.matches(ENV_NAME)) {
                throw new IllegalArgumentException("--password-env '" + flags.passwordEnv + "': not an environment "
                        + "variable's name (letters, digits and _, not starting with a digit)");
            }
            if (flags.password != null) {
                throw new IllegalArgumentException("--password and --password-env both give the password: use one");
            }
        }
        if (flags.importPythonClient != null && flags.passwordEnv != null) {
            throw new IllegalArgumentException("--import-python-client takes the password from the Python client's "
                    + "connector.conf: it cannot be combined with --password-env");
        }
        if (flags.secretsDir.toString().isBlank()) {
            throw new IllegalArgumentException("--secrets-dir must not be empty");
        }
        if (flags.demoHost != null) {
            requireNonEmpty("--demo-host", flags.demoHost);
        }
        if (flags.metricsPort == null && flags.metricsHost != null) {
            throw new IllegalArgumentException("--metrics-host needs --metrics");
        }
        if (flags.metricsPort != null && (flags.metricsPort < 0 || flags.metricsPort > 65535)) {
            throw new IllegalArgumentException("--metrics " + flags.metricsPort
                    + ": not a port; give 1-65535, or 0 for a free port");
        }
        if (flags.metricsHost != null) {
            requireNonEmpty("--metrics-host", flags.metricsHost);
        }
        return new LauncherOptions(platform, flags.user, flags.password, flags.demo, confDir, flags.logDir,
                flags.logFileSize, flags.logFileCount, flags.help, flags.version, flags.importPythonClient,
                flags.webConsolePort, flags.webConsoleHost == null ? WebConsole.DEFAULT_HOST : flags.webConsoleHost,
                flags.webConsolePasswordFile, flags.passwordEnv, flags.secretsDir, LogLevel.parse(flags.logLevel),
                flags.demoHost == null ? DemoPlatform.DEFAULT_HOST : flags.demoHost,
                TransportBundles.check(flags.transport), flags.metricsPort,
                flags.metricsHost == null ? MetricsEndpoint.DEFAULT_HOST : flags.metricsHost, remote);
    }

    /**
     * @return the {@code status} or {@code shell} sub-command, or null
     * @throws IllegalArgumentException if a sub-command comes with the launcher's flags: it talks to the gateway
     *                                  running in the working directory, whose settings are its own
     */
    private static RemoteCommand remoteCommand(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult sub = parsed.subcommand();
        if (sub == null) {
            return null;
        }
        if (!parsed.matchedOptions().isEmpty()) {
            throw new IllegalArgumentException("'" + sub.commandSpec().name() + "' asks the gateway running in this "
                    + "working directory and takes no launcher flags: run it in the gateway's working directory");
        }
        Object command = sub.commandSpec().userObject();
        if (command instanceof ShellCommand shell) {
            return new RemoteCommand(String.join(" ", shell.command));
        }
        return new RemoteCommand(ShellSocket.STATUS_COMMAND);
    }

    /** @return the checked {@link #platform()}, or null */
    PlatformAddress platformAddress() {
        return platform == null ? null : PlatformAddress.parse(platform.toString());
    }

    /** @return host of {@link #platform()} */
    String platformHost() {
        return platformAddress().host();
    }

    /** @return port of {@link #platform()}, defaulting to 80 (ws) or 443 (wss) */
    int platformPort() {
        return platformAddress().port();
    }

    /** @return whether {@link #platform()} is {@code wss://} */
    boolean platformEncrypted() {
        return platformAddress().encrypted();
    }

    private static void requireNonEmpty(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "LauncherOptions[platform=" + platform + ", user=" + user + ", password="
                + (password == null ? "null" : "***") + ", demo=" + demo + ", confDir=" + confDir + ", logDir="
                + logDir + ", logFileSize=" + logFileSize + ", logFileCount=" + logFileCount + ", help=" + help
                + ", version=" + version + ", importPythonClient=" + importPythonClient + ", webConsolePort="
                + webConsolePort + ", webConsoleHost=" + webConsoleHost + ", webConsolePasswordFile="
                + webConsolePasswordFile + ", passwordEnv=" + passwordEnv + ", secretsDir=" + secretsDir
                + ", logLevel=" + logLevel + ", demoHost=" + demoHost + ", transport=" + transport + ", metricsPort="
                + metricsPort + ", metricsHost=" + metricsHost + ", remote=" + remote
                + "]";
    }
}
