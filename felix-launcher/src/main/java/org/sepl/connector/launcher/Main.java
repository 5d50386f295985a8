package org.sepl.connector.launcher;

import java.lang.ref.Reference;
import java.util.List;
import java.util.logging.Logger;

/**
 * Entry point of {@code java -jar felix-launcher.jar}: parses the command line, configures logging, runs the
 * gateway until Ctrl-C (SIGINT/SIGTERM: a shutdown hook stops the framework cleanly) or until the shell stops
 * the framework. Exit status 2 for a bad command line, 1 if the gateway cannot start.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
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
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(LauncherOptions.USAGE);
            return;
        }
        List<Logger> configuredLoggers = LogSetup.configure(options.logDir(), options.logFileSize(),
                options.logFileCount());
        System.Logger log = System.getLogger(Main.class.getName());
        GatewayLauncher launcher = new GatewayLauncher(options);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop, "sepl-launcher-shutdown"));
        try {
            launcher.start();
            launcher.awaitFrameworkStop();
        } catch (IllegalArgumentException e) {
            log.log(System.Logger.Level.ERROR, e.getMessage());
            launcher.stop();
            System.exit(2);
        } catch (Exception e) {
            log.log(System.Logger.Level.ERROR, "The gateway cannot start: " + e, e);
            launcher.stop();
            System.exit(1);
        }
        if (!launcher.isStopping()) {
            // Stopped from the shell: clean up and leave (the hook would find nothing left to do).
            launcher.stop();
            System.exit(0);
        }
        // Keeps the logger settings in force until here.
        Reference.reachabilityFence(configuredLoggers);
    }
}
