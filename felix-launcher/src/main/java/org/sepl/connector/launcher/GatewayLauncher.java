package org.sepl.connector.launcher;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Runs the gateway: Felix with the embedded bundles, the client configuration the {@link ClientSetup.Plan}
 * asks for, and in the demo the local platform emulator.
 * <p>
 * Start-up order: install the bundles; start level 1 (OSGi log, Config Admin and its interpolation plugin); bridge
 * the log, register the {@link UnresolvedPlaceholders} check, open the {@link ShellSocket} and write the launcher's
 * configurations; start level 2 (everything else); wait until the clients run ({@link ClientStartWatch}:
 * a client that cannot start fails the start with {@link GatewayStartException}). {@link #stop()} is idempotent and safe from a
 * shutdown hook: it stops the framework, so every component deactivates and the client closes its connection.
 */
final class GatewayLauncher {

    static final int RUNTIME_START_LEVEL = 2;
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(30);
    /** Generous: a small heap on a slow, busy machine (16 MiB, load 14 here) took 23 s from start to client. */
    static final Duration CLIENT_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final System.Logger LOG = System.getLogger(GatewayLauncher.class.getName());

    private final LauncherOptions options;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Framework framework;
    private volatile DemoPlatform demoPlatform;
    /** The SQLite device manager's configuration PID: the demo gives it a database of its own. */
    static final String DEMO_STORE_PID = "org.sepl.connector.store.sqlite";
    /**
     * The SQLite outbox's configuration PID and its property naming the file (connector.store.sqlite's
     * {@code SqliteOutboxComponent}): the demo gives it a file of its own too.
     */
    static final String DEMO_OUTBOX_PID = "org.sepl.connector.store.sqlite.outbox";
    /** The demo's database files in {@link GatewayFramework#CACHE}, by configuration PID (property {@code database}). */
    static final Map<String, String> DEMO_DATABASES = Map.of(DEMO_STORE_PID, "demo-devices.db", DEMO_OUTBOX_PID,
            "demo-outbox.db");
    private volatile OsgiLogBridge logBridge;
    private volatile ShellSocket shellSocket;
    /** The Felix Inventory bundle, with the web console: it shows {@link ClientStatusPrinter}. */
    private static final String INVENTORY_BUNDLE = "org.apache.felix.inventory";

    GatewayLauncher(LauncherOptions options) {
        this.options = options;
    }

    /**
     * Starts the gateway and returns once it runs.
     *
     * @throws IllegalArgumentException if the command line and conf files do not name a usable platform
     * @throws GatewayStartException    if a client cannot start, or the conf directory holds a Python client's conf
     * @throws Exception                if the emulator or the framework cannot start
     */
    void start() throws Exception {
        long begin = System.nanoTime();
        ClientSetup.Plan plan = ClientSetup.plan(options);
        String environmentPassword = environmentPassword();
        Map<String, Object> clientConfig = null;
        if (plan.mode() == ClientSetup.Mode.COMMAND_LINE) {
            clientConfig = ClientSetup.commandLineConfig(plan, options);
            if (options.password() != null) {
                LOG.log(System.Logger.Level.WARNING, "--password shows the platform password to every local user "
                        + "(ps); give it with --password-env NAME, or as .password=$[secret:FILE] in "
                        + ClientSetup.PID + ".cfg (felix-launcher README, Secrets)");
            }
            PlatformAddress address = options.platformAddress();
            if (address != null && address.portDefaulted()) {
                LOG.log(System.Logger.Level.WARNING, "--platform " + address.uri() + " has no port: using " + address.port()
                        + ", the default of " + (address.encrypted() ? "wss" : "ws") + "://");
            }
            LOG.log(System.Logger.Level.INFO, "Platform from the command line: " + clientConfig.get("host") + ":"
                    + clientConfig.get("port") + " as " + clientConfig.get("user"));
        } else if (plan.mode() == ClientSetup.Mode.DEMO) {
            String user = options.user() != null ? options.user() : ClientSetup.DEMO_USER;
            String password = options.password() != null ? options.password()
                    : environmentPassword != null ? environmentPassword : ClientSetup.DEMO_PASSWORD;
            demoPlatform = DemoPlatform.start(options.demoHost(), user, password);
            clientConfig = ClientSetup.demoConfig(demoPlatform.clientHost(), demoPlatform.port(), user, password);
            LOG.log(System.Logger.Level.INFO, "No platform configured: demo with a local platform emulator on "
                    + options.demoHost() + " port " + demoPlatform.port());
        } else {
            LOG.log(System.Logger.Level.INFO, "Platform configured in " + options.confDir().toAbsolutePath());
        }

        // --conf must exist (LauncherOptions); the default conf/ is created on the first run.
        Files.createDirectories(options.confDir());
        MetricsEndpoint metrics = MetricsEndpoint.from(options);
        Map<String, Object> metricsConfig = metrics == null ? null : metrics.configuration(options.confDir());
        WebConsole webConsole = options.webConsolePort() == null ? null : WebConsole.from(options);
        Map<String, Object> properties = frameworkProperties(plan);
        if (webConsole != null) {
            properties.putAll(webConsole.frameworkProperties());
        }
        GatewayFramework gateway = GatewayFramework.init(properties, webConsole != null, options.transport());
        Framework felix = gateway.framework();
        framework = felix;
        for (Map.Entry<EmbeddedBundles.Entry, Bundle> e : gateway.bundles().entrySet()) {
            // Below the framework's start level these only record whether the bundle is to run.
            if (!e.getKey().optional() || plan.startDemo()) {
                e.getValue().start();
            } else {
                e.getValue().stop();
            }
        }
        felix.start();

        logBridge = OsgiLogBridge.attach(felix.getBundleContext(), SERVICE_TIMEOUT);
        // before start level 2, where SCR asks Config Admin for the components' configurations
        UnresolvedPlaceholders.register(felix.getBundleContext(), options.secretsDir());
        ConfigurationSecrets.warnIfReadableByOthers(options.secretsDir());
        // early: an operator may want to look while the clients still start
        openShellSocket(felix);
        try (LauncherConfigurations configurations = LauncherConfigurations.connect(felix.getBundleContext(),
                SERVICE_TIMEOUT)) {
            // What an earlier run wrote must not outlive it (an emulator port, a --platform).
            String stale = plan.mode() == ClientSetup.Mode.COMMAND_LINE
                    ? "(|(" + ClientSetup.GENERATED + "=true)(service.pid=" + ClientSetup.PID + "))"
                    : "(" + ClientSetup.GENERATED + "=true)";
            configurations.deleteAll(stale);
            if (clientConfig != null) {
                configurations.update(ClientSetup.PID, clientConfig);
            }
            if (metricsConfig != null) {
                configurations.update(MetricsEndpoint.PID, metricsConfig);
            }
            for (Map.Entry<String, String> demo : DEMO_DATABASES.entrySet()) {
                if (plan.startDemo() && !Files.exists(options.confDir().resolve(demo.getKey() + ".cfg"))) {
                    // demo devices and their pending events live in files of their own: they must not reach a real
                    // platform in a later run
                    configurations.update(demo.getKey(), Map.of("database",
                            GatewayFramework.CACHE.resolve(demo.getValue()).toAbsolutePath().toString(),
                            ClientSetup.GENERATED, "true"));
                }
            }
        }
        try (ClientStartWatch clients = ClientStartWatch.open(felix.getBundleContext(), plan.expectedClients())) {
            raiseStartLevel(felix, RUNTIME_START_LEVEL);
            logBundleProblems(felix);
            clients.await(CLIENT_START_TIMEOUT);
        }
        LOG.log(System.Logger.Level.INFO, "Gateway started in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)
                + " ms (" + felix.getBundleContext().getBundles().length + " bundles, WebSocket transport "
                + options.transport() + (plan.startDemo() ? ", demo devices" : "") + ", heap max "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB); configuration in "
                + options.confDir().toAbsolutePath() + ", logs in " + options.logDir().toAbsolutePath());
        if (demoPlatform != null) {
            System.out.println(demoPlatform.banner());
        }
        if (webConsole != null) {
            Bundle inventory = gateway.bundle(INVENTORY_BUNDLE).orElseThrow();
            if (inventory.getState() == Bundle.ACTIVE) {
                ClientStatusPrinter.register(felix.getBundleContext(), inventory);
            } else {
                LOG.log(System.Logger.Level.WARNING, "No client status page: " + INVENTORY_BUNDLE + " does not run");
            }
            // the log names the address only; the password goes to the console, once
            LOG.log(System.Logger.Level.INFO, "Felix Web Console on " + webConsole.url() + " (user '"
                    + WebConsole.USER + "')");
            System.out.println(webConsole.banner());
        }
    }

    /**
     * @return the value of {@code --password-env}'s variable, or null without that flag
     * @throws IllegalArgumentException if the environment has no such variable
     */
    private String environmentPassword() {
        if (options.passwordEnv() == null) {
            return null;
        }
        String value = System.getenv(options.passwordEnv());
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--password-env " + options.passwordEnv() + ": the launcher's "
                    + "environment has no variable " + options.passwordEnv() + " (or it is empty)");
        }
        return value;
    }

    /** The operator's way into the running gateway; the gateway runs on without it if the socket cannot be made. */
    private void openShellSocket(Framework felix) {
        try {
            shellSocket = ShellSocket.open(felix.getBundleContext(), ShellSocket.SOCKET);
            LOG.log(System.Logger.Level.INFO, "Shell of the running gateway: java -jar felix-launcher.jar shell (or "
                    + "status) in " + Path.of("").toAbsolutePath() + " (socket " + ShellSocket.SOCKET + ", this user "
                    + "only)");
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "No shell socket " + ShellSocket.SOCKET.toAbsolutePath() + " ("
                    + e + "): status and shell cannot reach this gateway");
        }
    }

    /** Blocks until the framework has stopped, by {@link #stop()} or from the shell. */
    void awaitFrameworkStop() throws InterruptedException {
        Framework felix = framework;
        if (felix != null) {
            felix.waitForStop(0);
        }
    }

    /** @return whether {@link #stop()} has been called */
    boolean isStopping() {
        return stopping.get();
    }

    /**
     * Stops the framework (waiting at most 20 s), then the emulator, then closes the log files. Idempotent; a
     * second caller waits for the first to finish.
     */
    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.await(STOP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        long begin = System.nanoTime();
        try {
            if (shellSocket != null) {
                shellSocket.close();
            }
            Framework felix = framework;
            if (felix != null && (felix.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                LOG.log(System.Logger.Level.INFO, "Stopping the gateway");
                felix.stop();
                FrameworkEvent event = felix.waitForStop(STOP_TIMEOUT.toMillis());
                if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.log(System.Logger.Level.WARNING, "Framework did not stop within " + STOP_TIMEOUT);
                }
            }
            if (logBridge != null) {
                logBridge.close();
            }
            if (demoPlatform != null) {
                demoPlatform.close();
            }
            LOG.log(System.Logger.Level.INFO, "Gateway stopped in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms");
        } catch (BundleException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(System.Logger.Level.ERROR, "Error while stopping the gateway", e);
        } finally {
            stopped.countDown();
            LauncherLogManager.closeHandlers();
        }
    }

    private Map<String, Object> frameworkProperties(ClientSetup.Plan plan) {
        Map<String, Object> props = new HashMap<>(options.logLevel().frameworkProperties());
        props.putAll(ConfigurationSecrets.frameworkProperties(options.secretsDir()));
        props.put("felix.fileinstall.dir", options.confDir().toAbsolutePath().toString());
        props.put("felix.fileinstall.poll", "1000");
        props.put("felix.fileinstall.noInitialDelay", "true");
        // STACK-NOTES: with config save on, a component was sometimes activated with a property missing.
        props.put("felix.fileinstall.enableConfigSave", "false");
        // Subdirectories (e.g. the Debian package's secrets/ in /etc/sepl-connector) are not bundles to install.
        props.put("felix.fileinstall.subdir.mode", "skip");
        if (plan.mode() == ClientSetup.Mode.COMMAND_LINE) {
            props.put("felix.fileinstall.filter", ClientSetup.FILTER_WITHOUT_CLIENT_FILE);
        }
        // Without a terminal the Gogo shell must neither read stdin nor stop the framework when stdin ends.
        props.put("gosh.args", isTerminal() ? "--noshutdown" : "--nointeractive --noshutdown");
        return props;
    }

    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ returns a Console even without a terminal; isTerminal() tells.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static void raiseStartLevel(Framework felix, int level) throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        felix.adapt(FrameworkStartLevel.class).setStartLevel(level, event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                reached.countDown();
            }
        });
        if (!reached.await(SERVICE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "Start level " + level + " not reached within " + SERVICE_TIMEOUT);
        }
    }

    private static void logBundleProblems(Framework felix) {
        List<String> notActive = java.util.Arrays.stream(felix.getBundleContext().getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE && b.getLocation().startsWith(EmbeddedBundles.LOCATION_PREFIX))
                .filter(b -> b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).isPersistentlyStarted())
                .map(b -> b.getSymbolicName() + " (state " + b.getState() + ")")
                .toList();
        if (!notActive.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Bundles that should run but do not: " + notActive);
        }
    }
}
