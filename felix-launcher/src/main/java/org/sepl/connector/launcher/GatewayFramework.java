package org.sepl.connector.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * The Felix instance of the gateway: its properties, its cache ({@code felix-cache/} in the working directory) and
 * the embedded bundles installed into it. Used both to run the gateway and, initialised only, to find the data areas
 * of bundles (the Python client import).
 *
 * @param framework the framework, initialised, not started
 * @param bundles   the embedded bundles by entry of {@code bundles.list}, in list order
 */
record GatewayFramework(Framework framework, Map<EmbeddedBundles.Entry, Bundle> bundles) {

    /** The framework cache, relative to the working directory. */
    static final Path CACHE = Path.of("felix-cache");

    /**
     * The OSGi service APIs the launcher itself calls, exported by the system bundle from the launcher's class path.
     * Config Admin and the Log bundle import what they export, so they bind to these very classes and the launcher
     * uses the real interfaces (OSGi Core, "system.packages.extra"). The versions are those of the
     * {@code org.osgi.service.cm} and {@code org.osgi.service.log} jars the launcher ships.
     */
    static final String SYSTEM_PACKAGES_EXTRA = "org.osgi.service.cm;version=1.6.1,org.osgi.service.log;version=1.5.0";

    /**
     * Creates and initialises the framework and installs (or updates) the embedded bundles, none started.
     *
     * @param properties framework properties over the launcher's defaults
     * @throws BundleException if the framework cannot initialise or a bundle cannot be installed
     */
    static GatewayFramework init(Map<String, Object> properties) throws BundleException {
        return init(properties, false, TransportBundles.DEFAULT);
    }

    /**
     * As {@link #init(Map)}; with {@code webConsole}, the Felix Web Console's bundles too (else they are uninstalled
     * if an earlier run had them); with the bundles of the WebSocket {@code transport} (those only another transport
     * needs are left out, and uninstalled if an earlier run had them).
     */
    static GatewayFramework init(Map<String, Object> properties, boolean webConsole, String transport)
            throws BundleException {
        Map<String, Object> all = new HashMap<>();
        all.put(Constants.FRAMEWORK_STORAGE, CACHE.toAbsolutePath().toString());
        all.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA);
        all.put("felix.log.logger", new FelixJulLogger());
        all.putAll(LogLevel.INFO.frameworkProperties());
        all.putAll(properties);
        Framework felix = new FrameworkFactory().newFramework(all);
        felix.init();
        try {
            java.util.Set<String> leftOut = TransportBundles.leftOutWith(transport);
            List<EmbeddedBundles.Entry> entries = new ArrayList<>(EmbeddedBundles.list().stream()
                    .filter(e -> !leftOut.contains(e.file())).toList());
            if (webConsole) {
                entries.addAll(EmbeddedBundles.list(EmbeddedBundles.WEB_CONSOLE));
            }
            return new GatewayFramework(felix, EmbeddedBundles.install(felix.getBundleContext(), entries));
        } catch (BundleException | RuntimeException e) {
            stopQuietly(felix);
            throw e;
        }
    }

    /** @return the embedded bundle with this symbolic name */
    Optional<Bundle> bundle(String symbolicName) {
        return bundles.values().stream().filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    /** Stops the framework (also one that was only initialised) and waits for it. */
    void stop() throws BundleException, InterruptedException {
        framework.stop();
        framework.waitForStop(20_000);
    }

    private static void stopQuietly(Framework felix) {
        try {
            felix.stop();
            felix.waitForStop(20_000);
        } catch (BundleException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
