package org.sepl.connector.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
 */
public record LauncherOptions(URI platform, String user, String password, boolean demo, Path confDir, Path logDir,
        long logFileSize, int logFileCount, boolean help, boolean version, Path importPythonClient,
        Integer webConsolePort, String webConsoleHost, Path webConsolePasswordFile) {

    static final long DEFAULT_LOG_FILE_SIZE = 10L * 1024 * 1024;
    static final int DEFAULT_LOG_FILE_COUNT = 5;
    static final Path DEFAULT_CONF_DIR = Path.of("conf");
    static final Path DEFAULT_LOG_DIR = Path.of("logs");

    public LauncherOptions {
        Objects.requireNonNull(confDir, "confDir must not be null");
        Objects.requireNonNull(logDir, "logDir must not be null");
        if (logFileSize <= 0) {
            throw new IllegalArgumentException("--log-file-size must be positive, was " + logFileSize);
        }
        if (logFileCount <= 0) {
            throw new IllegalArgumentException("--log-file-count must be positive, was " + logFileCount);
        }
    }

    /** The picocli model of the command line; its descriptions are the usage text. */
    @Command(name = "java -jar felix-launcher.jar", sortOptions = false, usageHelpWidth = 110,
            description = {
                    "Runs the SEPL connector gateway: Apache Felix with the connector bundles. Without a configured "
                            + "platform (no --platform, no org.sepl.connector.client configuration in the conf "
                            + "directory) it starts a local platform emulator and demo devices." },
            footer = {
                    "",
                    "Relative paths and the framework cache (felix-cache) are resolved in the working directory.",
                    "Exit status: 0 stopped normally, 1 the gateway could not start, 2 bad command line." })
    static final class Flags {
        @Option(names = "--platform", paramLabel = "URI",
                description = "platform endpoint, ws://HOST:PORT or wss://HOST:PORT (no port: 80 for ws, 443 for wss)")
        String platform;

        @Option(names = "--user", paramLabel = "USER",
                description = "platform user (with --platform, or for the demo's emulator)")
        String user;

        @Option(names = "--password", paramLabel = "PASSWORD",
                description = "platform password (with --platform, or for the demo's emulator)")
        String password;

        @Option(names = "--demo", description = "also run the demo devices against the configured platform")
        boolean demo;

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
                description = "number of log files kept (default: " + DEFAULT_LOG_FILE_COUNT + ")")
        int logFileCount = DEFAULT_LOG_FILE_COUNT;

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

        @Option(names = { "-V", "--version" }, versionHelp = true, description = "print the version and exit")
        boolean version;

        @Option(names = { "-h", "--help" }, usageHelp = true, description = "print this help and exit")
        boolean help;
    }

    /** @return the usage text, listing every flag */
    static String usage() {
        return new CommandLine(new Flags()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * Parses the command line; flags take their value as the next argument or after {@code =}.
     *
     * @throws IllegalArgumentException for an unknown flag, a missing value or a bad value, naming the flag
     */
    public static LauncherOptions parse(String... args) {
        Flags flags = new Flags();
        try {
            new CommandLine(flags).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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
        return new LauncherOptions(platform, flags.user, flags.password, flags.demo, confDir, flags.logDir,
                flags.logFileSize, flags.logFileCount, flags.help, flags.version, flags.importPythonClient,
                flags.webConsolePort, flags.webConsoleHost == null ? WebConsole.DEFAULT_HOST : flags.webConsoleHost,
                flags.webConsolePasswordFile);
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
                + webConsolePasswordFile + "]";
    }
}
