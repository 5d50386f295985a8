package org.sepl.connector.itests;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sepl.connector.api.ConnectorClient;

/**
 * The client configurations a test makes in the framework (factory configurations of {@value #CLIENT_PID}, as a user
 * makes them), the {@link ConnectorClient} services they give, and their removal after the test.
 */
final class ClientConfigurations {

    static final String CLIENT_PID = "org.sepl.connector.client";

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final Duration timeout;
    private final List<Configuration> made = new ArrayList<>();

    ClientConfigurations(BundleContext context, ConfigurationAdmin configurationAdmin, Duration timeout) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.timeout = timeout;
    }

    /** A new, empty client configuration, deleted by {@link #deleteAll}. */
    Configuration create() throws IOException {
        // "?" binds it to whichever bundle registers the component: connector.impl, also after a restart.
        Configuration configuration = configurationAdmin.createFactoryConfiguration(CLIENT_PID, "?");
        made.add(configuration);
        return configuration;
    }

    /** Creates a client configuration for the platform at {@code port}, as the bridge's user; returns its PID. */
    String configure(int port) throws IOException {
        return configure(PlatformBridge.USER, PlatformBridge.PASSWORD, port);
    }

    /** Creates a client configuration for the platform at {@code port}; returns its PID. */
    String configure(String user, String password, int port) throws IOException {
        Configuration configuration = create();
        configuration.update(properties(user, password, port));
        return configuration.getPid();
    }

    /** A client's properties for the platform on this machine at {@code port}, with short timings. */
    static Dictionary<String, Object> properties(String user, String password, int port) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("host", "127.0.0.1");
        properties.put("port", port);
        properties.put("user", user);
        properties.put(".password", password);
        // short timings keep the suite fast
        properties.put("requestTimeoutMillis", 5_000L);
        properties.put("reconnectInitialDelayMillis", 100L);
        properties.put("reconnectMaxDelayMillis", 500L);
        return properties;
    }

    /** Waits for the client of configuration {@code pid} to be connected and synchronised. */
    ConnectorClient ready(String pid) throws InterruptedException {
        return Poll.until("a ready client for " + pid, timeout, () -> client(pid), c -> c != null && c.isReady());
    }

    /** @return the client of configuration {@code pid}, or null while there is none */
    ConnectorClient client(String pid) {
        ServiceReference<ConnectorClient> reference = reference(pid);
        return reference == null ? null : context.getService(reference);
    }

    /** @return the service reference of the client of configuration {@code pid}, or null while there is none */
    ServiceReference<ConnectorClient> reference(String pid) {
        try {
            return context.getServiceReferences(ConnectorClient.class, "(connector.config.pid=" + pid + ")").stream()
                    .findFirst().orElse(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("pid " + pid, e);
        }
    }

    /** @return every client service in the framework */
    List<ServiceReference<ConnectorClient>> references() {
        try {
            return new ArrayList<>(context.getServiceReferences(ConnectorClient.class, null));
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Deletes the configurations made here (their clients go). */
    void deleteAll() throws IOException {
        for (Configuration configuration : made) {
            configuration.delete();
        }
        made.clear();
    }
}
