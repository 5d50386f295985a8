package org.sepl.connector.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The launcher's command line. Immutable; {@link #parse} rejects unknown flags and bad values with an
 * {@link IllegalArgumentException} that names the flag.
 *
 * @param platform     the platform endpoint ({@code ws://} or {@code wss://}, with host and port), or null
 * @param user         platform user, or null
 * @param password     platform password, or null; never printed
 * @param demo         run the demo devices even against a configured platform
 * @param confDir      the directory FileInstall watches for {@code *.cfg} / {@code *.config} (and bundle jars)
 * @param logDir       the directory of the rotating log files
 * @param logFileSize  bytes per log file before it rotates
 * @param logFileCount how many log files are kept
 * @param help         print the usage and exit
 */
public record LauncherOptions(URI platform, String user, String password, boolean demo, Path confDir, Path logDir,
        long logFileSize, int logFileCount, boolean help) {

    static final long DEFAULT_LOG_FILE_SIZE = 10L * 1024 * 1024;
    static final int DEFAULT_LOG_FILE_COUNT = 5;

    static final String USAGE = """
            Usage: java -jar felix-launcher.jar [options]

            Runs the SEPL connector gateway: Apache Felix with the connector bundles. Without a configured
            platform (no --platform, no org.sepl.connector.client configuration in the conf directory) it starts
            a local platform emulator and demo devices.

            Options (they override the conf files):
              --platform URI         platform endpoint, ws://HOST:PORT or wss://HOST:PORT
              --user USER            platform user (with --platform, or for the demo's emulator)
              --password PASSWORD    platform password (with --platform, or for the demo's emulator)
              --demo                 also run the demo devices against the configured platform
              --conf DIR             configuration directory watched by FileInstall (default: conf)
              --log-dir DIR          directory of the rotating log files gateway.N.log (default: logs)
              --log-file-size BYTES  size of a log file before it rotates (default: 10485760)
              --log-file-count N     number of log files kept (default: 5)
              --help                 print this help and exit

            Relative paths and the framework cache (felix-cache) are resolved in the working directory.
            """;

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

    /**
     * Parses the command line; flags take their value as the next argument or after {@code =}.
     *
     * @throws IllegalArgumentException for an unknown flag, a missing value or a bad value, naming the flag
     */
    public static LauncherOptions parse(String... args) {
        URI platform = null;
        String user = null;
        String password = null;
        boolean demo = false;
        boolean help = false;
        Path confDir = Path.of("conf");
        Path logDir = Path.of("logs");
        long logFileSize = DEFAULT_LOG_FILE_SIZE;
        int logFileCount = DEFAULT_LOG_FILE_COUNT;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inlineValue = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inlineValue = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            switch (flag) {
                case "--demo" -> demo = true;
                case "--help", "-h" -> help = true;
                case "--platform", "--user", "--password", "--conf", "--log-dir", "--log-file-size",
                        "--log-file-count" -> {
                    String value = inlineValue;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(flag + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (flag) {
                        case "--platform" -> platform = platformUri(value);
                        case "--user" -> user = requireNonEmpty(flag, value);
                        case "--password" -> password = value;
                        case "--conf" -> confDir = Path.of(requireNonEmpty(flag, value));
                        case "--log-dir" -> logDir = Path.of(requireNonEmpty(flag, value));
                        case "--log-file-size" -> logFileSize = number(flag, value);
                        default -> logFileCount = (int) Math.min(Integer.MAX_VALUE, number(flag, value));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "' (see --help)");
            }
        }
        return new LauncherOptions(platform, user, password, demo, confDir, logDir, logFileSize, logFileCount, help);
    }

    /** @return host of {@link #platform()} */
    String platformHost() {
        return platform.getHost();
    }

    /** @return port of {@link #platform()}, defaulting to 80 (ws) or 443 (wss) */
    int platformPort() {
        return platform.getPort() > 0 ? platform.getPort() : platformEncrypted() ? 443 : 80;
    }

    /** @return whether {@link #platform()} is {@code wss://} */
    boolean platformEncrypted() {
        return "wss".equalsIgnoreCase(platform.getScheme());
    }

    private static URI platformUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--platform: not a URI: " + value, e);
        }
        if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("--platform must start with ws:// or wss://, was " + value);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("--platform has no host: " + value);
        }
        return uri;
    }

    private static long number(String flag, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, was '" + value + "'", e);
        }
    }

    private static String requireNonEmpty(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
        return value;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "LauncherOptions[platform=" + platform + ", user=" + user + ", password="
                + (password == null ? "null" : "***") + ", demo=" + demo + ", confDir=" + confDir + ", logDir="
                + logDir + ", logFileSize=" + logFileSize + ", logFileCount=" + logFileCount + ", help=" + help + "]";
    }
}
