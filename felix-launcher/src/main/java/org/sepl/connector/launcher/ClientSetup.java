package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decides where the client's configuration ({@value #PID}) comes from: the conf directory (FileInstall), the
 * command line (the launcher writes it to Config Admin, merged over {@code conf/org.sepl.connector.client.cfg}), or
 * the demo (a local platform emulator). Pure logic, no framework.
 */
final class ClientSetup {

    static final String PID = "org.sepl.connector.client";
    /** Marks the configurations the launcher wrote, so that the next run can remove them. */
    static final String GENERATED = "sepl.launcher.generated";
    static final String DEMO_USER = "demo";
    static final String DEMO_PASSWORD = "demo";
    /**
     * The client property naming the device manager to use, set to the launcher's SQLite store: with it, the client
     * waits for that store at start instead of synchronising the empty in-memory one first.
     */
    static final String DEVICE_MANAGER = "deviceManager";
    static final String SQLITE_DEVICE_MANAGER = org.sepl.connector.store.sqlite.SqliteDeviceManager.NAME;

    private static final String PID_PATTERN = "org\\.sepl\\.connector\\.client";
    /** Any configuration file of the client PID, singleton or factory. */
    private static final Pattern CLIENT_FILE = Pattern.compile("org\\.sepl\\.connector\\.client(-[^/\\\\]*)?\\.(cfg|config)");
    /** FileInstall filter that hides the singleton client file when the command line replaces it. */
    static final String FILTER_WITHOUT_CLIENT_FILE = "^(?!org\\.sepl\\.connector\\.client\\.(cfg|config)$).*$";

    enum Mode {
        /** No platform configured: start the emulator and the demo devices. */
        DEMO,
        /** The command line names the platform or the credentials: the launcher writes the configuration. */
        COMMAND_LINE,
        /** The conf directory configures the client; FileInstall loads it. */
        CONF_DIRECTORY
    }

    /**
     * @param mode      where the configuration comes from
     * @param startDemo whether the demo bundle runs
     * @param base      with {@link Mode#COMMAND_LINE}: the properties of {@code org.sepl.connector.client.cfg} the
     *                  command line is merged over (empty if there is none)
     * @param expectedClients how many clients the configurations start (one per configuration of the client PID)
     */
    record Plan(Mode mode, boolean startDemo, Map<String, Object> base, int expectedClients) {
    }

    private ClientSetup() {
    }

    /**
     * @throws UncheckedIOException  if the conf directory cannot be read
     * @throws GatewayStartException if the demo would start but the conf directory holds a Python client's
     *                               {@code connector.conf}: the user meant their gateway, so the launcher says how
     *                               to import it
     */
    static Plan plan(LauncherOptions options) {
        Path confDir = options.confDir();
        List<Path> clientFiles = clientFiles(confDir);
        Path singletonCfg = confDir.resolve(PID + ".cfg");
        boolean credentialsGiven = options.user() != null || options.password() != null
                || options.passwordEnv() != null;
        List<String> factoryFiles = clientFiles.stream().map(f -> f.getFileName().toString())
                .filter(name -> !name.matches(PID_PATTERN + "\\.(cfg|config)")).sorted().toList();
        if (options.platform() != null || (credentialsGiven && Files.isRegularFile(singletonCfg))) {
            if (!factoryFiles.isEmpty()) {
                throw new GatewayStartException("--platform/--user/--password(-env) configure the singleton client "
                        + PID + ", which cannot run beside the factory configurations " + factoryFiles + " in "
                        + confDir + " (SCR takes a singleton or factory configurations of a PID, never both); "
                        + "add that account as one more " + PID + "-NAME.cfg file instead of the flags");
            }
            // FileInstall hides the singleton file (FILTER_WITHOUT_CLIENT_FILE)
            return new Plan(Mode.COMMAND_LINE, options.demo(), readCfg(singletonCfg), 1);
        }
        if (!clientFiles.isEmpty()) {
            if (!factoryFiles.isEmpty() && factoryFiles.size() < clientFiles.size()) {
                throw new GatewayStartException(confDir + " holds the singleton client configuration " + PID
                        + ".cfg beside the factory configurations " + factoryFiles + ": SCR takes a singleton or "
                        + "factory configurations of a PID, never both, so one of them would silently not run; "
                        + "rename " + PID + ".cfg to " + PID + "-NAME.cfg (one file per account)");
            }
            return new Plan(Mode.CONF_DIRECTORY, options.demo(), Map.of(), clientFiles.size());
        }
        Path pythonConf = PythonClientFolder.findConnectorConf(confDir);
        if (pythonConf != null && !options.demo()) {
            throw new GatewayStartException(pythonConf + " is a Python connector-client configuration, which this "
                    + "launcher does not read. Import that gateway (configuration, gateway id, devices) with: "
                    + "java -jar felix-launcher.jar --import-python-client PYTHON_CLIENT_DIR (the folder holding "
                    + "connector/connector.conf and modules/devices.sqlite); or run the demo anyway with --demo");
        }
        return new Plan(Mode.DEMO, true, Map.of(), 1);
    }

    /**
     * The configuration the command line asks for: the plan's base with the flags over it.
     *
     * @throws IllegalArgumentException if host, port, user or password is still missing, naming the flag
     */
    static Map<String, Object> commandLineConfig(Plan plan, LauncherOptions options) {
        Map<String, Object> config = new LinkedHashMap<>(plan.base());
        if (options.platform() != null) {
            config.put("host", options.platformHost());
            config.put("port", options.platformPort());
            config.put("encryption", options.platformEncrypted());
        }
        if (options.user() != null) {
            config.put("user", options.user());
        }
        if (options.password() != null) {
            config.put(".password", ConfigurationSecrets.literal(options.password()));
        }
        if (options.passwordEnv() != null) {
            // the configuration, stored in felix-cache, keeps the placeholder; the client gets the value
            config.put(".password", ConfigurationSecrets.environmentPlaceholder(options.passwordEnv()));
        }
        require(config, "host", "--platform");
        require(config, "port", "--platform");
        require(config, "user", "--user");
        require(config, ".password", "--password-env (or --password)");
        config.putIfAbsent(DEVICE_MANAGER, SQLITE_DEVICE_MANAGER);
        config.put(GENERATED, "true");
        return config;
    }

    /** The configuration of a client of the local emulator. */
    static Map<String, Object> demoConfig(String host, int port, String user, String password) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("host", host);
        config.put("port", port);
        config.put("encryption", false);
        config.put("user", user);
        config.put(".password", ConfigurationSecrets.literal(password));
        config.put(DEVICE_MANAGER, SQLITE_DEVICE_MANAGER);
        config.put(GENERATED, "true");
        return config;
    }

    private static void require(Map<String, Object> config, String property, String flag) {
        Object value = config.get(property);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(flag + " is needed: no '" + property + "' on the command line or in "
                    + PID + ".cfg");
        }
    }

    private static List<Path> clientFiles(Path confDir) {
        if (!Files.isDirectory(confDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(confDir)) {
            return files.filter(f -> CLIENT_FILE.matcher(f.getFileName().toString()).matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + confDir, e);
        }
    }

    private static Map<String, Object> readCfg(Path file) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).strip()));
        return values;
    }
}
