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
        boolean credentialsGiven = options.user() != null || options.password() != null;
        if (options.platform() != null || (credentialsGiven && Files.isRegularFile(singletonCfg))) {
            // FileInstall hides the singleton file (FILTER_WITHOUT_CLIENT_FILE); factory files still start clients.
            long factoryFiles = clientFiles.stream()
                    .filter(f -> !f.getFileName().toString().matches(PID_PATTERN + "\\.(cfg|config)")).count();
            return new Plan(Mode.COMMAND_LINE, options.demo(), readCfg(singletonCfg), 1 + (int) factoryFiles);
        }
        if (!clientFiles.isEmpty()) {
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
            config.put(".password", options.password());
        }
        require(config, "host", "--platform");
        require(config, "port", "--platform");
        require(config, "user", "--user");
        require(config, ".password", "--password");
        config.put(GENERATED, "true");
        return config;
    }

    /** The configuration of a client of the local emulator. */
    static Map<String, Object> demoConfig(int port, String user, String password) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("host", "127.0.0.1");
        config.put("port", port);
        config.put("encryption", false);
        config.put("user", user);
        config.put(".password", password);
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
