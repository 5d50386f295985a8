package org.sepl.connector.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

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
 * updated; one no longer embedded is uninstalled. A fingerprint of each installed jar (see {@link #fingerprint}) is
 * kept in the system bundle's data area.
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
        try (BufferedReader reader = new BufferedReader(reader(LIST))) {
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
     * start levels. Call between {@code Framework.init()} and {@code start()}. Each jar is streamed from the launcher
     * jar into the framework, never held in memory.
     *
     * @return the installed bundles by entry, in list order
     * @throws BundleException if a bundle cannot be installed or updated
     */
    static Map<Entry, Bundle> install(BundleContext system, List<Entry> entries) throws BundleException {
        Path fingerprintsFile = system.getDataFile("launcher-bundles.properties").toPath();
        Properties fingerprints = load(fingerprintsFile);
        Map<Entry, Bundle> bundles = new LinkedHashMap<>();
        for (Entry entry : entries) {
            URL jar = resource("bundles/" + entry.file());
            String fingerprint = fingerprint(jar);
            Bundle bundle = system.getBundle(entry.location());
            if (bundle == null) {
                bundle = system.installBundle(entry.location(), open(jar));
                LOG.log(System.Logger.Level.DEBUG, () -> "Installed " + entry.file());
            } else if (!fingerprint.equals(fingerprints.getProperty(entry.file()))) {
                bundle.update(open(jar));
                LOG.log(System.Logger.Level.INFO, "Updated " + entry.file());
            }
            fingerprints.setProperty(entry.file(), fingerprint);
            bundle.adapt(BundleStartLevel.class).setStartLevel(entry.startLevel());
            bundles.put(entry, bundle);
        }
        for (Bundle bundle : system.getBundles()) {
            if (bundle.getLocation().startsWith(LOCATION_PREFIX) && !bundles.containsValue(bundle)) {
                LOG.log(System.Logger.Level.INFO, "Uninstalling " + bundle.getSymbolicName() + ", no longer embedded");
                fingerprints.remove(bundle.getLocation().substring(LOCATION_PREFIX.length()));
                bundle.uninstall();
            }
        }
        store(fingerprints, fingerprintsFile);
        return bundles;
    }

    private static URL resource(String name) {
        URL url = EmbeddedBundles.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("launcher jar has no resource " + name);
        }
        return url;
    }

    /** The framework closes the stream once it has copied the bundle into its cache. */
    private static InputStream open(URL url) {
        try {
            return url.openStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url + " from the launcher jar", e);
        }
    }

    /**
     * What tells whether an embedded jar changed since it was installed: inside the launcher jar, the CRC-32 and size
     * the zip directory already records (nothing is read); elsewhere (classes run from a directory), the CRC-32
     * computed while streaming the file.
     */
    static String fingerprint(URL url) {
        try {
            URLConnection connection = url.openConnection();
            if (connection instanceof JarURLConnection jar) {
                JarEntry entry = jar.getJarEntry();
                if (entry.getCrc() != -1 && entry.getSize() != -1) {
                    return Long.toHexString(entry.getCrc()) + ":" + entry.getSize();
                }
            }
            CRC32 crc = new CRC32();
            long size = 0;
            try (InputStream in = new CheckedInputStream(url.openStream(), crc)) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) != -1;) {
                    size += n;
                }
            }
            return Long.toHexString(crc.getValue()) + ":" + size;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url + " from the launcher jar", e);
        }
    }

    private static Reader reader(String name) {
        return new InputStreamReader(open(resource(name)), StandardCharsets.UTF_8);
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
                properties.store(writer, "Fingerprints (CRC-32:size) of the embedded bundles installed by the launcher");
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot write " + file + ", bundles will be updated next time: " + e);
        }
    }
}
