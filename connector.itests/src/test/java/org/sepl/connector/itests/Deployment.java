package org.sepl.connector.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.ops4j.pax.exam.Option;

/**
 * The bundles a user deploys, as Pax Exam options (built in {@code @Configuration}) and as files.
 * <p>
 * Each bundle's file comes from the system property {@code itest.bundle.<artifactId>}, which failsafe sets from
 * the file Maven resolved for that dependency: in a reactor build, a module's freshly built {@code target/*.jar}.
 * (The native container runs the framework in the test JVM, so tests inside it read the same properties.)
 */
final class Deployment {

    /** Declarative Services and the OSGi API bundles SCR 2.2 needs beside it. */
    static final List<String> SCR = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.scr");

    /** Config Admin, Metatype and the log service Metatype requires. */
    static final List<String> CONFIGURATION = List.of("org.apache.felix.log", "org.apache.felix.configadmin",
            "org.apache.felix.metatype");

    /** connector.impl's runtime dependencies (WebSocket client, JSON). */
    static final List<String> CLIENT_RUNTIME = List.of("gson", "jakarta.activation-api", "jakarta.xml.bind-api",
            "jakarta.websocket-api", "jakarta.websocket-client-api", "tyrus-spi", "tyrus-core", "tyrus-client",
            "tyrus-container-jdk-client");

    private Deployment() {
    }

    /** Options every test framework gets: a clean cache, quiet Pax logging, JUnit inside the framework. */
    static Option base() {
        return composite(cleanCaches(true), junitBundles(),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
    }

    /** The bundles named by artifact id, in order. */
    static Option bundles(List<String> artifactIds) {
        List<Option> options = new ArrayList<>();
        for (String artifactId : artifactIds) {
            options.add(bundle(bundleFile(artifactId).toURI().toString()));
        }
        return composite(options.toArray(new Option[0]));
    }

    /** The file of the bundle built or resolved for {@code artifactId}. */
    static File bundleFile(String artifactId) {
        String property = "itest.bundle." + artifactId;
        String path = System.getProperty(property);
        if (path == null || path.isBlank() || path.startsWith("${")) {
            throw new IllegalStateException("system property " + property
                    + " is not set to a file; run the tests through Maven (mvn verify -pl connector.itests -am)");
        }
        File file = new File(path);
        if (!file.isFile()) {
            throw new IllegalStateException(property + " names no bundle file: " + file
                    + " (was the module packaged?)");
        }
        return file;
    }
}
