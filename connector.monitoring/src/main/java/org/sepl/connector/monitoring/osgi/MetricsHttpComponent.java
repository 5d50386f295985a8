package org.sepl.connector.monitoring.osgi;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.monitoring.MetricsHttpServer;
import org.sepl.connector.monitoring.MonitoredClients;

/**
 * The opt-in Prometheus endpoint on the JDK's HTTP server: runs only while configuration {@value #PID} exists (the
 * Felix launcher writes it for {@code --metrics [PORT]}), on {@code 127.0.0.1} unless {@code host} says otherwise.
 * Serves every {@link ConnectorClient} service's figures.
 */
@Component(configurationPid = MetricsHttpComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MetricsHttpComponent.Config.class)
public final class MetricsHttpComponent {

    /** The configuration that turns the endpoint on. */
    public static final String PID = "org.sepl.connector.metrics";
    /** Where the endpoint listens unless configured otherwise: this machine only (it has no authentication). */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The port unless configured otherwise. */
    public static final int DEFAULT_PORT = 9465;
    private static final System.Logger LOG = System.getLogger(MetricsHttpComponent.class.getName());

    @ObjectClassDefinition(name = "SEPL connector Prometheus endpoint",
            description = "Serves the connector clients' figures in the Prometheus text format at "
                    + "http://HOST:PORT/metrics. There is no authentication: keep it on loopback unless the network is "
                    + "trusted.")
    public @interface Config {
        @AttributeDefinition(name = "Port", description = "TCP port (0: a free one, named in the log)", min = "0",
                max = "65535")
        int port() default DEFAULT_PORT;

        @AttributeDefinition(name = "Host", description = "Address to listen on: 127.0.0.1 (this machine only), "
                + "0.0.0.0 (every interface), or an address of this machine")
        String host() default DEFAULT_HOST;
    }

    private final MonitoredClients clients = new MonitoredClients();
    private MetricsHttpServer server;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addClient(ConnectorClient client, Map<String, Object> properties) {
        clients.add(client, MonitoredClients.of(client, properties));
    }

    void removeClient(ConnectorClient client) {
        clients.remove(client);
    }

    @Activate
    void activate(Config config) throws IOException {
        InetSocketAddress address = address(config);
        try {
            server = MetricsHttpServer.start(address, clients::prometheusText);
        } catch (IOException e) {
            throw new IOException(PID + ": cannot listen on " + config.host() + ":" + config.port() + " (" + e
                    + "): free the port or set another 'port'", e);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException(PID + ": the JDK's HTTP server (package com.sun.net.httpserver, module "
                    + "jdk.httpserver) is not visible to this bundle: add the package to the framework's "
                    + "org.osgi.framework.system.packages.extra", e);
        }
        LOG.log(INFO, "Prometheus metrics on " + server.url());
        if (!server.address().getAddress().isLoopbackAddress()) {
            LOG.log(WARNING, "The Prometheus metrics on " + server.address() + " are open to the network, without "
                    + "authentication ('host' of " + PID + ")");
        }
    }

    /** @throws IllegalArgumentException naming the property, the value and what is allowed */
    static InetSocketAddress address(Config config) {
        if (config.port() < 0 || config.port() > 65535) {
            throw new IllegalArgumentException(PID + ": property 'port' = " + config.port()
                    + ": not a port; give 1-65535, or 0 for a free one");
        }
        String host = config.host() == null || config.host().isBlank() ? DEFAULT_HOST : config.host().strip();
        try {
            return new InetSocketAddress(InetAddress.getByName(host), config.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(PID + ": property 'host' = \"" + host + "\": not an address of this "
                    + "machine; give 127.0.0.1, 0.0.0.0 or one of its addresses", e);
        }
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** For tests. */
    MetricsHttpServer server() {
        return server;
    }
}
