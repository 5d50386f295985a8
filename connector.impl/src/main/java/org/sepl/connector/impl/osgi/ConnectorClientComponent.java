package org.sepl.connector.impl.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.impl.ClientSettings;
import org.sepl.connector.impl.DefaultConnectorClient;
import org.sepl.connector.impl.GatewayIdStore;
import org.sepl.connector.impl.transport.JdkWebSocketTransport;

/**
 * One {@link ConnectorClient} per configuration of {@value ClientConfiguration#PID} (singleton or factory).
 * <p>
 * Thin OSGi wiring around {@link DefaultConnectorClient}: the highest-ranked {@link DeviceManager} (a better one
 * replaces it at runtime, and the client re-synchronises), {@link CommandHandler} and {@link ConnectionListener}
 * whiteboards. A configuration change deactivates and reactivates the component, i.e. reconnects. The gateway id is
 * kept in this bundle's data area, one file per configuration, not in Config Admin: writing it must not restart the
 * component.
 */
@Component(name = ClientConfiguration.PID, configurationPid = ClientConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ClientConfiguration.class, factory = true)
public final class ConnectorClientComponent {

    private static final System.Logger LOG = System.getLogger(ConnectorClientComponent.class.getName());

    // DS binds the references before activate(); they are kept here and handed to the client once it exists.
    private final Map<CommandHandler, Map<String, Object>> handlers = new LinkedHashMap<>();
    private final List<ConnectionListener> listeners = new ArrayList<>();
    private DeviceManager deviceManager;
    private Outbox outbox;
    private DefaultConnectorClient client;
    private ServiceRegistration<ConnectorClient> registration;

    @Activate
    synchronized void activate(BundleContext context, ClientConfiguration config, Map<String, Object> properties) {
        String pid = String.valueOf(properties.get("service.pid"));
        java.util.List<String> problems = ConfigurationCheck.problems(properties);
        if (!problems.isEmpty()) {
            for (String problem : problems) {
                LOG.log(System.Logger.Level.ERROR, "Invalid configuration " + pid + ": " + problem
                        + "; the client stays down until the configuration is corrected");
            }
            throw new IllegalArgumentException("invalid configuration " + pid + ": " + String.join("; ", problems));
        }
        ClientSettings settings;
        try {
            settings = settings(config);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, "Invalid configuration " + pid + ": " + e.getMessage()
                    + "; the client stays down until the configuration is corrected");
            throw e;
        }
        Path idFile = context.getDataFile("gateway-id-" + pid.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt").toPath();
        client = new DefaultConnectorClient(settings, GatewayIdStore.file(idFile),
                JdkWebSocketTransport.forClient(settings, null), deviceManager);
        handlers.forEach(client::addCommandHandler);
        listeners.forEach(client::addConnectionListener);
        try {
            client.setRateLimit(config.rateLimitAverage(), config.rateLimitBurst());
        } catch (IllegalArgumentException e) {
            client.close();
            LOG.log(System.Logger.Level.ERROR, "Invalid configuration " + pid + ": " + e.getMessage()
                    + "; the client stays down until the configuration is corrected");
            throw e;
        }
        client.setOutbox(outbox);
        client.setOutboxEnabled(config.outboxEnabled());
        client.start();
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put("host", config.host());
        serviceProperties.put("port", config.port());
        serviceProperties.put("user", config.user());
        serviceProperties.put("encryption", config.encryption());
        serviceProperties.put("connector.config.pid", pid);
        StatusProperties.put(client.status(), serviceProperties);
        registration = context.registerService(ConnectorClient.class, client, serviceProperties);
        ServiceRegistration<ConnectorClient> r = registration;
        Dictionary<String, Object> fixed = serviceProperties;
        client.watchStatus(new StatusProperties(fixed, r::setProperties, java.time.Clock.systemUTC()),
                StatusProperties.CHECK_PERIOD);
        LOG.log(System.Logger.Level.INFO, "Started " + settings);
    }

    /**
     * Closes the connection first, while every service the client uses is still there, so that nothing of the
     * shutdown reaches the platform (no re-sync against a fallback device manager, no change made by a bundle that
     * is stopping); then withdraws the service.
     */
    @Deactivate
    synchronized void deactivate() {
        DefaultConnectorClient c = client;
        client = null; // from here on, rebinding references changes nothing
        c.close();
        registration.unregister();
    }

    /**
     * The best device manager; a better one replaces it at runtime: the client hands its devices over (copies those
     * the new one lacks into it) and re-synchronises, which sends nothing when they agree.
     */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindDeviceManager(DeviceManager manager) {
        deviceManager = manager;
        if (client != null) {
            client.setDeviceManager(manager);
        }
    }

    synchronized void unbindDeviceManager(DeviceManager manager) {
        // A replacement is bound before the old one is unbound; without one, DS deactivates this component.
    }

    /**
     * The best outbox; a better one replaces it at runtime (see {@link DefaultConnectorClient#setOutbox}: an in-memory
     * outbox's pending messages move over, a durable one keeps them for its next open). Without one, the client uses
     * its own in-memory outbox.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindOutbox(Outbox o) {
        outbox = o;
        if (client != null) {
            client.setOutbox(o);
        }
    }

    synchronized void unbindOutbox(Outbox o) {
        if (outbox != o) {
            return; // a better one was bound first
        }
        outbox = null;
        if (client != null) {
            client.setOutbox(null); // back to the client's own in-memory outbox
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addCommandHandler(CommandHandler handler, Map<String, Object> properties) {
        handlers.put(handler, properties);
        if (client != null) {
            client.addCommandHandler(handler, properties);
        }
    }

    synchronized void removeCommandHandler(CommandHandler handler) {
        handlers.remove(handler);
        if (client != null) {
            client.removeCommandHandler(handler);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addConnectionListener(ConnectionListener listener) {
        listeners.add(listener);
        if (client != null) {
            client.addConnectionListener(listener);
        }
    }

    synchronized void removeConnectionListener(ConnectionListener listener) {
        listeners.remove(listener);
        if (client != null) {
            client.removeConnectionListener(listener);
        }
    }

    static ClientSettings settings(ClientConfiguration c) {
        if (c.user() == null || c.user().isEmpty()) {
            throw new IllegalArgumentException("property 'user' must be set");
        }
        if (c._password() == null) {
            throw new IllegalArgumentException("property '.password' must be set");
        }
        return new ClientSettings(c.host(), c.port(), c.encryption(), c.user(), c._password(),
                millis(c.requestTimeoutMillis(), "requestTimeoutMillis"),
                millis(c.reconnectInitialDelayMillis(), "reconnectInitialDelayMillis"),
                millis(c.reconnectMaxDelayMillis(), "reconnectMaxDelayMillis"),
                millis(c.keepAliveIntervalMillis(), "keepAliveIntervalMillis"),
                millis(c.keepAliveTimeoutMillis(), "keepAliveTimeoutMillis"),
                c.maxRequestsInFlight(), c.commandQueueSize(), c.maxFrameBytes(), c.requestTimeoutsBeforeReconnect(),
                millis(c.commandMaxAgeMillis(), "commandMaxAgeMillis"),
                millis(c.unclaimedCommandTimeoutMillis(), "unclaimedCommandTimeoutMillis"), sslContext(c));
    }

    private static Duration millis(long value, String property) {
        if (value <= 0) {
            throw new IllegalArgumentException("property '" + property + "' must be positive, was " + value);
        }
        return Duration.ofMillis(value);
    }

    private static SSLContext sslContext(ClientConfiguration c) {
        if (c.trustStore() == null || c.trustStore().isBlank()) {
            return null;
        }
        Path file = Path.of(c.trustStore());
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(c.trustStoreType());
            store.load(in, c._trustStorePassword() == null ? null : c._trustStorePassword().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("property 'trustStore': cannot load " + file + ": " + e.getMessage(), e);
        }
    }
}
