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
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Installs the bundles embedded in the launcher jar (resource {@code bundles/bundles.list} and the jars beside it;
 * with {@code --web-console} also {@code webconsole/bundles.list}) into a framework that is initialised but not
 * started.
 * <p>
 * The lists are made by the build, never by hand: {@code bundles/bundles.list} names the dependencies of
 * {@code connector.features} (the project's one list of runtime bundles), in its order; {@code webconsole/bundles.list}
 * the web console's jars. What differs per bundle is here, in {@link #START_LEVELS} and {@link #OPTIONAL}.
 * <p>
 * Bundles keep their location ({@code launcher:bundles/NAME}) across runs, and so keep their data areas (the
 * client's gateway id, Config Admin's configurations). A bundle whose embedded jar changed since the last run is
 * updated; one no longer embedded, or not asked for in this run (the web console), is uninstalled. A fingerprint
 * of each installed jar (see {@link #fingerprint}) is kept in the system bundle's data area.
 */
final class EmbeddedBundles {

    /** The location scheme of every bundle the launcher installs. */
    static final String LOCATION_SCHEME = "launcher:";
    /** The folder of the runtime bundles, always installed. */
    static final String RUNTIME = "bundles";
    /** The folder of the Felix Web Console and its HTTP service, installed only with {@code --web-console}. */
    static final String WEB_CONSOLE = "webconsole";
    static final String LOCATION_PREFIX = LOCATION_SCHEME + RUNTIME + "/";
    /** The start level of every embedded bundle not in {@link #START_LEVELS}. */
    static final int DEFAULT_START_LEVEL = 2;
    /**
     * Bundles that start before the others: the Log Service and Config Admin, so that the launcher can bridge the
     * OSGi log and write its configurations before anything reads them; and Config Admin's interpolation plugin,
     * which Config Admin waits for (see {@link ConfigurationSecrets}).
     */
    static final Map<String, Integer> START_LEVELS = Map.of(
            "org.apache.felix.log.jar", 1,
            "org.apache.felix.configadmin.jar", 1,
            ConfigurationSecrets.PLUGIN + ".jar", 1);
    /** Bundles installed but started only when asked to: the demo devices. */
    static final Set<String> OPTIONAL = Set.of("connector.demo.jar");
    private static final System.Logger LOG = System.getLogger(EmbeddedBundles.class.getName());

    /** One bundle of a folder's {@code bundles.list}. */
    record Entry(int startLevel, String folder, String file, boolean optional) {
        String location() {
            return LOCATION_SCHEME + folder + "/" + file;
        }

        /** The key of its fingerprint; runtime bundles keep the bare file name of earlier launchers. */
        String fingerprintKey() {
            return folder.equals(RUNTIME) ? file : folder + "/" + file;
        }
    }

    private EmbeddedBundles() {
    }

    /** Reads the runtime bundle list from the launcher's class path. */
    static List<Entry> list() {
        return list(RUNTIME);
    }

    /** Reads {@code FOLDER/bundles.list} (one jar file name a line) from the launcher's class path. */
    static List<Entry> list(String folder) {
        String list = folder + "/bundles.list";
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(reader(list))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                entries.add(new Entry(START_LEVELS.getOrDefault(line, DEFAULT_START_LEVEL), folder, line,
                        OPTIONAL.contains(line)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
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
            URL jar = resource(entry.folder() + "/" + entry.file());
            String fingerprint = fingerprint(jar);
            Bundle bundle = system.getBundle(entry.location());
            if (bundle == null) {
                bundle = system.installBundle(entry.location(), open(jar));
                LOG.log(System.Logger.Level.DEBUG, () -> "Installed " + entry.file());
            } else if (!fingerprint.equals(fingerprints.getProperty(entry.fingerprintKey()))) {
                bundle.update(open(jar));
                LOG.log(System.Logger.Level.INFO, "Updated " + entry.file());
            }
            fingerprints.setProperty(entry.fingerprintKey(), fingerprint);
            bundle.adapt(BundleStartLevel.class).setStartLevel(entry.startLevel());
            bundles.put(entry, bundle);
        }
        for (Bundle bundle : system.getBundles()) {
            String location = bundle.getLocation();
            if (location.startsWith(LOCATION_SCHEME) && !bundles.containsValue(bundle)) {
                // no longer embedded, or (the web console) not asked for in this run
                LOG.log(System.Logger.Level.INFO, "Uninstalling " + bundle.getSymbolicName() + ", not part of this run");
                fingerprints.remove(location.startsWith(LOCATION_PREFIX) ? location.substring(LOCATION_PREFIX.length())
                        : location.substring(LOCATION_SCHEME.length()));
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
