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
 * Entry point of {@code java -jar felix-launcher.jar}: parses the command line, configures logging, locks the data
 * area, runs the gateway until SIGTERM or Ctrl-C ({@link StopHook}) or {@code stop 0} in the shell, each a normal
 * stop with exit status 0; or imports a Python client ({@code --import-python-client}); or, with {@code status} or
 * {@code shell}, asks the gateway already running here ({@link ShellClient}). Exit status {@value #EXIT_USAGE} for a
 * bad command line, {@value #EXIT_CANNOT_START} if the gateway cannot start (or the import fails, or another launcher
 * holds the data area), with one line on standard error saying why.
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
        if (options.remote() != null) {
            // status / shell: a client of the running gateway, which touches nothing here (no log, no data area)
            System.exit(new ShellClient(ShellSocket.SOCKET, System.in, System.out, System.err).run(options.remote()));
            return;
        }
        DataArea dataArea;
        try {
            dataArea = DataArea.lock(GatewayFramework.CACHE);
        } catch (GatewayStartException e) {
            // one line, and nothing written: not even into the log files of the launcher that runs
            System.err.println("felix-launcher: " + e.getMessage());
            System.exit(EXIT_CANNOT_START);
            return;
        } catch (IOException e) {
            System.err.println("felix-launcher: cannot use the data area " + GatewayFramework.CACHE.toAbsolutePath()
                    + ": " + e);
            System.exit(EXIT_CANNOT_START);
            return;
        }
        List<Logger> configuredLoggers = LogSetup.configure(options.logDir(), options.logFileSize(),
                options.logFileCount(), options.logLevel());
        dataArea.logPermissionChange();
        if (options.importPythonClient() != null) {
            int status = importPythonClient(options);
            Reference.reachabilityFence(configuredLoggers);
            Reference.reachabilityFence(dataArea);
            System.exit(status);
            return;
        }
        GatewayLauncher launcher = new GatewayLauncher(options);
        StopHook hook = StopHook.install(launcher::stop);
        int status = run(launcher);
        // Keeps the logger settings and the data area's lock until here.
        Reference.reachabilityFence(configuredLoggers);
        Reference.reachabilityFence(dataArea);
        // Also after a stop from the shell: a thread may still wait on standard input (Gogo's console).
        hook.exit(status);
    }

    private static int run(GatewayLauncher launcher) {
        System.Logger log = System.getLogger(Main.class.getName());
        log.log(System.Logger.Level.INFO, version().replace(System.lineSeparator(), "; "));
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
        // Stopped from the shell, or by the stop hook (which then ends the process itself): clean up and leave.
        launcher.stop();
        return 0;
    }

    private static int importPythonClient(LauncherOptions options) {
        try {
            PythonClientImport.Result result = new PythonClientImport(options.importPythonClient(), options.confDir(),
                    options.secretsDir())
                    .run();
            PythonClientFolder.Connector c = result.connector();
            System.out.println("Imported the Python connector-client in " + options.importPythonClient() + ":");
            System.out.println("  platform " + (c.encryption() ? "wss://" : "ws://") + c.host() + ":" + c.port()
                    + " as " + c.user() + " -> " + result.clientCfg());
            System.out.println("  password -> " + result.passwordFile() + " (the configuration reads it: .password="
                    + ConfigurationSecrets.secretPlaceholder(PythonClientImport.PASSWORD_FILE) + ")");
            System.out.println("  gateway id " + (c.gid().isEmpty() ? "(none yet)" : c.gid()));
            System.out.println("  " + result.devices().devices() + " device" + (result.devices().devices() == 1 ? "" : "s")
                    + (result.devices().gatewayHash() == null ? "" : ", gateway hash " + result.devices().gatewayHash())
                    + " -> " + result.deviceDatabase());
            System.out.println("Start the gateway with: java -jar felix-launcher.jar"
                    + (options.confDir().equals(LauncherOptions.DEFAULT_CONF_DIR) ? "" : " --conf " + options.confDir())
                    + (options.secretsDir().equals(LauncherOptions.DEFAULT_SECRETS_DIR) ? ""
                            : " --secrets-dir " + options.secretsDir()));
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
