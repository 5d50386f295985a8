package org.sepl.connector.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher's {@code --metrics [PORT]}: the configuration that turns on connector.monitoring's Prometheus
 * endpoint (its {@code MetricsHttpComponent}, on the JDK's HTTP server, loopback by default). The component logs
 * where it listens ("Prometheus metrics on http://...").
 *
 * @param host where it listens
 * @param port its port (0: a free one, named in the log)
 */
record MetricsEndpoint(String host, int port) {

    /**
     * connector.monitoring's configuration PID and defaults; the launcher cannot see that bundle's classes, so they
     * are repeated here and {@code MetricsEndpointTest} checks they are the same.
     */
    static final String PID = "org.sepl.connector.metrics";
    static final int DEFAULT_PORT = 9465;
    static final String DEFAULT_HOST = "127.0.0.1";

    /** @return the endpoint the options ask for, or null without {@code --metrics} */
    static MetricsEndpoint from(LauncherOptions options) {
        return options.metricsPort() == null ? null : new MetricsEndpoint(options.metricsHost(), options.metricsPort());
    }

    /**
     * @return the configuration to write, marked as the launcher's (removed by the next run)
     * @throws IllegalArgumentException if the conf directory configures the endpoint too
     */
    Map<String, Object> configuration(Path confDir) {
        Path file = confDir.resolve(PID + ".cfg");
        if (Files.exists(file)) {
            throw new IllegalArgumentException("--metrics and " + file + " both configure the Prometheus endpoint: "
                    + "remove one (the file's port and host, or the flag)");
        }
        return Map.of("port", port, "host", host, ClientSetup.GENERATED, "true");
    }
}
