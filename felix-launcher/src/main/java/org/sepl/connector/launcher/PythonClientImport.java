package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * {@code --import-python-client DIR}: moves a Python connector-client's gateway to this launcher without a re-sync.
 * <p>
 * Reads {@code DIR/connector/connector.conf} and, when present, {@code DIR/modules/devices.sqlite}, checks
 * everything, then writes, in this order: the devices into the SQLite device manager's database (the one the
 * launcher uses: {@code database} of {@code conf/org.sepl.connector.store.sqlite.cfg}, else {@code devices.db} in the
 * store bundle's data area), the gateway id into the client bundle's data area (where connector.impl keeps it:
 * {@code gateway-id-org.sepl.connector.client.txt}), the password into the file {@value #PASSWORD_FILE} of the
 * secrets directory (owner-only), and last {@code conf/org.sepl.connector.client.cfg}, whose {@code .password} is
 * the placeholder {@code $[secret:platform-password]} (see {@link ConfigurationSecrets}). Same
 * gateway id and same devices give the platform the same gateway hash, so the first connection finds nothing to
 * synchronise. Any problem is reported before the first write (or the written part undone), naming the file and the
 * line or row.
 */
final class PythonClientImport {

    static final String CLIENT_BUNDLE = "connector.impl";
    static final String STORE_BUNDLE = "connector.store.sqlite";
    static final String STORE_PID = "org.sepl.connector.store.sqlite";
    /** connector.impl's file for the gateway id of the singleton configuration (see connector.impl's README). */
    static final String GATEWAY_ID_FILE = "gateway-id-" + ClientSetup.PID + ".txt";
    /** The file of the secrets directory that receives the Python client's password. */
    static final String PASSWORD_FILE = "platform-password";

    private static final System.Logger LOG = System.getLogger(PythonClientImport.class.getName());

    private final Path pythonDir;
    private final Path confDir;
    private final Path secretsDir;

    PythonClientImport(Path pythonDir, Path confDir, Path secretsDir) {
        this.pythonDir = pythonDir;
        this.confDir = confDir;
        this.secretsDir = secretsDir;
    }

    /** What was imported, for the user. */
    record Result(PythonClientFolder.Connector connector, DeviceMigration.Summary devices, Path clientCfg,
            Path deviceDatabase, Path passwordFile) {
    }

    /**
     * @throws ImportException naming the file and line/row of the problem; nothing of the gateway was written
     */
    Result run() throws BundleException, InterruptedException, IOException {
        if (!Files.isDirectory(pythonDir)) {
            throw new ImportException(pythonDir + ": no such directory (give the Python connector-client's folder, "
                    + "the one holding connector/connector.conf)");
        }
        Path conf = PythonClientFolder.findConnectorConf(pythonDir);
        if (conf == null) {
            throw new ImportException(pythonDir.resolve(PythonClientFolder.CONNECTOR_CONF) + ": no such file");
        }
        PythonClientFolder.Connector connector = PythonClientFolder.readConf(conf);
        Path clientCfg = confDir.resolve(ClientSetup.PID + ".cfg");
        for (String existing : List.of(ClientSetup.PID + ".cfg", ClientSetup.PID + ".config")) {
            if (Files.exists(confDir.resolve(existing))) {
                throw new ImportException(confDir.resolve(existing) + " already configures a client; nothing was "
                        + "written (move it away to import)");
            }
        }
        Path passwordFile = secretsDir.resolve(PASSWORD_FILE);
        if (Files.exists(passwordFile) && !ConfigurationSecrets.literal(connector.password())
                .equals(Files.readString(passwordFile).strip())) {
            throw new ImportException(passwordFile + " already holds another password; nothing was written (move it "
                    + "away to import, or give another --secrets-dir)");
        }
        Path storeCfgDatabase = configuredDatabase();
        Path pythonDevices = pythonDir.resolve(PythonClientFolder.DEVICE_STORE);

        Files.createDirectories(confDir);
        GatewayFramework gateway = GatewayFramework.init(Map.of());
        try {
            Bundle store = required(gateway, STORE_BUNDLE);
            Bundle client = required(gateway, CLIENT_BUNDLE);
            Path deviceDatabase = storeCfgDatabase != null ? storeCfgDatabase : store.getDataFile("devices.db").toPath();
            DeviceMigration.Summary summary = new DeviceMigration.Summary(0, null);
            if (Files.exists(pythonDevices)) {
                DeviceMigration migration = migration(gateway, store);
                summary = migration.read(pythonDevices);
                migration.write(deviceDatabase);
            } else {
                LOG.log(System.Logger.Level.INFO, "No " + pythonDevices + ": the gateway's devices are left to your "
                        + "bundle (the Python client kept them in memory)");
            }
            Path gatewayIdFile = client.getDataFile(GATEWAY_ID_FILE).toPath();
            if (!connector.gid().isEmpty()) {
                writeAtomically(gatewayIdFile, connector.gid(), false);
            } else {
                LOG.log(System.Logger.Level.WARNING, conf + " has no gid: the Python client never connected, the "
                        + "platform will register a new gateway");
            }
            createOwnerOnly(secretsDir);
            // the interpolation plugin reads the file whole, trims it and replaces placeholders in it: escape them
            writeAtomically(passwordFile, ConfigurationSecrets.literal(connector.password()) + System.lineSeparator(),
                    true);
            writeAtomically(clientCfg, clientConfiguration(connector, conf), true);
            return new Result(connector, summary, clientCfg, deviceDatabase, passwordFile);
        } finally {
            gateway.stop();
        }
    }

    /** The {@code database} of the SQLite store's .cfg in the conf directory, or null for its default. */
    private Path configuredDatabase() {
        Path config = confDir.resolve(STORE_PID + ".config");
        if (Files.exists(config)) {
            throw new ImportException(config + ": the import reads the store's database from a .cfg file only; "
                    + "write database=FILE into " + STORE_PID + ".cfg instead");
        }
        Path cfg = confDir.resolve(STORE_PID + ".cfg");
        if (!Files.isRegularFile(cfg)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ImportException(cfg + ": cannot read: " + e.getMessage(), e);
        }
        String database = properties.getProperty("database", "").strip();
        return database.isEmpty() ? null : Path.of(database);
    }

    private static Bundle required(GatewayFramework gateway, String symbolicName) {
        return gateway.bundle(symbolicName)
                .orElseThrow(() -> new IllegalStateException("the launcher jar embeds no " + symbolicName));
    }

    /** The migration code, run on the store bundle's classes (see {@link DeviceMigration}). */
    private static DeviceMigration migration(GatewayFramework gateway, Bundle store) {
        FrameworkWiring wiring = gateway.framework().adapt(FrameworkWiring.class);
        if (!wiring.resolveBundles(List.of(store))) {
            throw new IllegalStateException(STORE_BUNDLE + " does not resolve in the launcher's framework");
        }
        return BundleSideClassLoader.instantiate(store.adapt(BundleWiring.class).getClassLoader(),
                BundleSideClassLoader.SQLITE, DeviceMigration.IMPLEMENTATION, DeviceMigration.class);
    }

    /** The client configuration, in the .cfg (Java properties) format FileInstall reads. */
    private static String clientConfiguration(PythonClientFolder.Connector c, Path source) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", c.host());
        values.put("port", Integer.toString(c.port()));
        values.put("encryption", Boolean.toString(c.encryption()));
        values.put("user", c.user());
        // the imported devices are in the SQLite store: the first synchronisation waits for it
        values.put(ClientSetup.DEVICE_MANAGER, ClientSetup.SQLITE_DEVICE_MANAGER);

        StringBuilder text = new StringBuilder("# Imported from the Python connector-client configuration " + source
                + System.lineSeparator() + "# by java -jar felix-launcher.jar --import-python-client. Every property: "
                + "connector.impl/README.md" + System.lineSeparator());
        values.forEach((key, value) -> text.append(propertyLine(key, value)));
        // written as it is (no character of it needs escaping): the way an operator writes it by hand
        text.append(".password=").append(ConfigurationSecrets.secretPlaceholder(PASSWORD_FILE))
                .append(System.lineSeparator());
        return text.toString();
    }

    /** One {@code key=value} line escaped as {@link Properties#store} escapes it. */
    private static String propertyLine(String key, String value) {
        Properties one = new Properties();
        one.setProperty(key, value);
        StringWriter out = new StringWriter();
        try {
            one.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // store() writes a date comment first
        return out.toString().lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow()
                + System.lineSeparator();
    }

    /** A missing secrets directory is made {@code rwx------}; an existing one is left as its owner set it. */
    private static void createOwnerOnly(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                try {
                    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DataArea.OWNER_ONLY));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(directory);
                }
            }
        } catch (IOException e) {
            throw new ImportException(directory + ": cannot create: " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path file, String content, boolean secret) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            if (secret) {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the directory's permissions apply
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ImportException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
