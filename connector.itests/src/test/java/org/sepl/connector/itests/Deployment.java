package org.sepl.connector.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ops4j.pax.exam.Option;

/**
 * The bundles a user deploys, as Pax Exam options (built in {@code @Configuration}) and as files.
 * <p>
 * They come from the project's one list of runtime bundles, the dependencies of {@code connector.features/pom.xml}:
 * its build writes them, in order, with their scope and resolved file, to {@code runtime-bundles.txt}
 * ({@code maven-dependency-plugin:list}), whose path failsafe passes as system property {@value #LIST_PROPERTY}. In a
 * reactor build each of our modules' file is its freshly built {@code target/*.jar}. (The native container runs the
 * framework in the test JVM, so tests inside it read the same property.)
 */
final class Deployment {

    /** System property: the file {@code runtime-bundles.txt} of connector.features. */
    static final String LIST_PROPERTY = "itest.runtime.bundles";

    /** The demo's devices would join every gateway's device list: tests that want them install it. */
    static final String DEMO = "connector.demo";
    static final String SQLITE_STORE = "connector.store.sqlite";

    /** One line of the list. */
    record RuntimeBundle(String groupId, String artifactId, String version, String scope, File file) {

        /** In a Karaf feature (scope compile), or provided by Karaf itself and needed in a plain framework. */
        boolean inFeature() {
            return scope.equals("compile");
        }
    }

    private Deployment() {
    }

    /** Options every test framework gets: a clean cache, quiet Pax logging, JUnit inside the framework. */
    static Option base() {
        return composite(cleanCaches(true), junitBundles(),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                // Gogo's console would read the test JVM's standard input
                systemProperty("gosh.args").value("--nointeractive"));
    }

    /** Every runtime bundle, in the list's order, except those named (artifact ids). */
    static Option runtimeExcept(String... artifactIds) {
        Set<String> excluded = Set.of(artifactIds);
        List<Option> options = new ArrayList<>();
        for (RuntimeBundle bundle : runtime()) {
            if (!excluded.contains(bundle.artifactId())) {
                options.add(bundle(bundle.file().toURI().toString()));
            }
        }
        return composite(options.toArray(new Option[0]));
    }

    /** The file of the runtime bundle {@code artifactId}. */
    static File bundleFile(String artifactId) {
        return runtime().stream().filter(b -> b.artifactId().equals(artifactId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no runtime bundle " + artifactId + " in "
                        + listFile() + " (the dependencies of connector.features/pom.xml)"))
                .file();
    }

    /** The list, in order. */
    static List<RuntimeBundle> runtime() {
        Path list = listFile();
        List<RuntimeBundle> bundles = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                // "   group:artifact:jar:version:scope:/path/file.jar -- module name (auto)"
                String entry = line.strip();
                int module = entry.indexOf(" -- ");
                if (module >= 0) {
                    entry = entry.substring(0, module);
                }
                String[] columns = entry.split(":", 6);
                if (columns.length < 6) {
                    continue; // the header line, blank lines
                }
                File file = new File(columns[5]);
                if (!file.isFile()) {
                    throw new IllegalStateException(list + " names no bundle file: " + file + " (was the module packaged?)");
                }
                bundles.add(new RuntimeBundle(columns[0], columns[1], columns[3], columns[4], file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException(list + " lists no bundle");
        }
        return bundles;
    }

    private static Path listFile() {
        String path = System.getProperty(LIST_PROPERTY);
        if (path == null || path.isBlank() || path.startsWith("${") || !new File(path).isFile()) {
            throw new IllegalStateException("system property " + LIST_PROPERTY + " names no file (" + path
                    + "); run the tests through Maven (mvn verify -pl connector.itests -am)");
        }
        return Path.of(path);
    }
}
