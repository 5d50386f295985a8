package org.sepl.connector.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * Entry point of {@code java -jar felix-launcher.jar}: parses the command line, configures logging, runs the
 * gateway until Ctrl-C (SIGINT/SIGTERM: a shutdown hook stops the framework cleanly) or until the shell stops
 * the framework; or imports a Python client ({@code --import-python-client}). Exit status {@value #EXIT_USAGE} for a
 * bad command line, {@value #EXIT_CANNOT_START} if the gateway cannot start (or the import fails), with one line on
 * standard error saying why.
 */
public final class Main {

    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        OutOfMemory.exitOnUncaught();
        // Must happen before anything touches java.util.logging, see LauncherLogManager.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", LauncherLogManager.class.getName());
        }
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("felix-launcher: " + e.getMessage());
            System.err.println("Try --help.");
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            System.out.print(LauncherOptions.usage());
            return;
        }
        if (options.version()) {
            System.out.println(version());
            return;
        }
        List<Logger> configuredLoggers = LogSetup.configure(options.logDir(), options.logFileSize(),
                options.logFileCount());
        int status = options.importPythonClient() != null ? importPythonClient(options) : run(options);
        // Keeps the logger settings in force until here.
        Reference.reachabilityFence(configuredLoggers);
        if (status != 0) {
            System.exit(status);
        }
    }

    private static int run(LauncherOptions options) {
        System.Logger log = System.getLogger(Main.class.getName());
        log.log(System.Logger.Level.INFO, version().replace(System.lineSeparator(), "; "));
        GatewayLauncher launcher = new GatewayLauncher(options);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop, "sepl-launcher-shutdown"));
        try {
            launcher.start();
            launcher.awaitFrameworkStop();
        } catch (OutOfMemoryError e) {
            OutOfMemory.exit();
        } catch (IllegalArgumentException e) {
            log.log(System.Logger.Level.ERROR, e.getMessage());
            launcher.stop();
            System.err.println("felix-launcher: " + e.getMessage());
            return EXIT_USAGE;
        } catch (GatewayStartException e) {
            log.log(System.Logger.Level.ERROR, "The gateway cannot start: " + e.getMessage());
            launcher.stop();
            System.err.println("felix-launcher: " + e.getMessage());
            return EXIT_CANNOT_START;
        } catch (Exception e) {
            log.log(System.Logger.Level.ERROR, "The gateway cannot start: " + e, e);
            launcher.stop();
            System.err.println("felix-launcher: the gateway cannot start: " + e);
            return EXIT_CANNOT_START;
        }
        if (!launcher.isStopping()) {
            // Stopped from the shell: clean up and leave (the hook would find nothing left to do).
            launcher.stop();
        }
        return 0;
    }

    private static int importPythonClient(LauncherOptions options) {
        try {
            PythonClientImport.Result result = new PythonClientImport(options.importPythonClient(), options.confDir())
                    .run();
            PythonClientFolder.Connector c = result.connector();
            System.out.println("Imported the Python connector-client in " + options.importPythonClient() + ":");
            System.out.println("  platform " + (c.encryption() ? "wss://" : "ws://") + c.host() + ":" + c.port()
                    + " as " + c.user() + " -> " + result.clientCfg());
            System.out.println("  gateway id " + (c.gid().isEmpty() ? "(none yet)" : c.gid()));
            System.out.println("  " + result.devices().devices() + " device" + (result.devices().devices() == 1 ? "" : "s")
                    + (result.devices().gatewayHash() == null ? "" : ", gateway hash " + result.devices().gatewayHash())
                    + " -> " + result.deviceDatabase());
            System.out.println("Start the gateway with: java -jar felix-launcher.jar"
                    + (options.confDir().equals(LauncherOptions.DEFAULT_CONF_DIR) ? "" : " --conf " + options.confDir()));
            return 0;
        } catch (ImportException e) {
            System.err.println("felix-launcher: import failed, nothing was written: " + e.getMessage());
            return EXIT_CANNOT_START;
        } catch (Exception e) {
            System.getLogger(Main.class.getName()).log(System.Logger.Level.ERROR, "Import failed", e);
            System.err.println("felix-launcher: import failed: " + e);
            return EXIT_CANNOT_START;
        } finally {
            LauncherLogManager.closeHandlers();
        }
    }

    /** The launcher's version, the framework's, and which SQLite natives the jar embeds. */
    static String version() {
        Package pkg = Main.class.getPackage();
        String version = pkg.getImplementationVersion() == null ? "(development build)" : pkg.getImplementationVersion();
        return "felix-launcher " + version + System.lineSeparator()
                + "Apache Felix " + felixVersion()
                + ", Java " + Runtime.version() + System.lineSeparator()
                + "SQLite natives embedded: " + sqliteNatives();
    }

    private static String felixVersion() {
        try (InputStream in = Main.class.getClassLoader().getResourceAsStream(
                "META-INF/maven/org.apache.felix/org.apache.felix.framework/pom.properties")) {
            java.util.Properties pom = new java.util.Properties();
            if (in != null) {
                pom.load(in);
            }
            return pom.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }

    /** Written by the build (felix-launcher/pom.xml, property sqlite.natives). */
    static String sqliteNatives() {
        try (InputStream in = Main.class.getClassLoader().getResourceAsStream("bundles/sqlite-natives.txt")) {
            if (in == null) {
                return "unknown";
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine().strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
