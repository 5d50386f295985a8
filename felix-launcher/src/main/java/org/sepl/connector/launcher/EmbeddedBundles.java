package org.sepl.connector.launcher;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Installs the bundles embedded in the launcher jar (resource {@code bundles/bundles.list} and the jars beside it)
 * into a framework that is initialised but not started.
 * <p>
 * Bundles keep their location ({@code launcher:bundles/NAME}) across runs, and so keep their data areas (the
 * client's gateway id, Config Admin's configurations). A bundle whose embedded jar changed since the last run is
 * updated; one no longer embedded is uninstalled. The SHA-256 of each installed jar is kept in the system bundle's
 * data area.
 */
final class EmbeddedBundles {

    static final String LOCATION_PREFIX = "launcher:bundles/";
    private static final String LIST = "bundles/bundles.list";
    private static final System.Logger LOG = System.getLogger(EmbeddedBundles.class.getName());

    /** One line of {@code bundles.list}. */
    record Entry(int startLevel, String file, boolean optional) {
        String location() {
            return LOCATION_PREFIX + file;
        }
    }

    private EmbeddedBundles() {
    }

    /** Reads the bundle list from the launcher's class path. */
    static List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(resource(LIST))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\\s+");
                entries.add(new Entry(Integer.parseInt(columns[0]), columns[1],
                        columns.length > 2 && columns[2].equals("optional")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIST, e);
        }
        return entries;
    }

    /**
     * Installs, updates and uninstalls so that the framework holds exactly the embedded bundles, and sets their
     * start levels. Call between {@code Framework.init()} and {@code start()}.
     *
     * @return the installed bundles by entry, in list order
     * @throws BundleException if a bundle cannot be installed or updated
     */
    static Map<Entry, Bundle> install(BundleContext system, List<Entry> entries) throws BundleException {
        Path digestsFile = system.getDataFile("launcher-bundles.properties").toPath();
        Properties digests = load(digestsFile);
        Map<Entry, Bundle> bundles = new LinkedHashMap<>();
        for (Entry entry : entries) {
            byte[] jar = bytes("bundles/" + entry.file());
            String digest = sha256(jar);
            Bundle bundle = system.getBundle(entry.location());
            if (bundle == null) {
                bundle = system.installBundle(entry.location(), new ByteArrayInputStream(jar));
                LOG.log(System.Logger.Level.DEBUG, () -> "Installed " + entry.file());
            } else if (!digest.equals(digests.getProperty(entry.file()))) {
                bundle.update(new ByteArrayInputStream(jar));
                LOG.log(System.Logger.Level.INFO, "Updated " + entry.file());
            }
            digests.setProperty(entry.file(), digest);
            bundle.adapt(BundleStartLevel.class).setStartLevel(entry.startLevel());
            bundles.put(entry, bundle);
        }
        for (Bundle bundle : system.getBundles()) {
            if (bundle.getLocation().startsWith(LOCATION_PREFIX) && !bundles.containsValue(bundle)) {
                LOG.log(System.Logger.Level.INFO, "Uninstalling " + bundle.getSymbolicName() + ", no longer embedded");
                digests.remove(bundle.getLocation().substring(LOCATION_PREFIX.length()));
                bundle.uninstall();
            }
        }
        store(digests, digestsFile);
        return bundles;
    }

    private static Reader resource(String name) {
        return new InputStreamReader(stream(name), StandardCharsets.UTF_8);
    }

    private static InputStream stream(String name) {
        InputStream in = EmbeddedBundles.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("launcher jar has no resource " + name);
        }
        return in;
    }

    private static byte[] bytes(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the launcher jar", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot read " + file + ", updating every bundle: " + e);
            }
        }
        return properties;
    }

    private static void store(Properties properties, Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "SHA-256 of the embedded bundles installed by the launcher");
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot write " + file + ", bundles will be updated next time: " + e);
        }
    }
}
