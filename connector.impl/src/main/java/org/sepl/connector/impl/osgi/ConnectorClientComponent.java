package org.sepl.connector.impl.osgi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.impl.ClientAssembly;
import org.sepl.connector.impl.DefaultConnectorClient;
import org.sepl.connector.impl.executor.ClientThreads;
import org.sepl.connector.impl.settings.ClientSettings;

/**
 * One {@link ConnectorClient} per configuration of {@value #PID} (singleton or factory): thin OSGi wiring of a
 * {@link ClientAssembly}. It hands the assembly what the service registry offers (device managers, transports and
 * the best outbox, as they come and go; command handlers and connection listeners), registers the client as a
 * service, and keeps the status service properties current. It never waits on a DS thread while holding its lock:
 * the assembly takes each change to the client's own lanes.
 * <p>
 * A configuration that cannot be used is reported in one line per problem (naming the file, the property, the bad
 * value and what is allowed), and the component stays up without a client until it is corrected: no stack trace. A
 * framework that is shutting down closes the client before any service it uses goes, so that a shutdown sends
 * nothing but the close.
 */
@Component(name = ConnectorClientComponent.PID, configurationPid = ConnectorClientComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class ConnectorClientComponent {

    /** The configuration PID of a client (singleton, or factory: one client per platform account). */
    public static final String PID = "org.sepl.connector.client";
    /** Where FileInstall says a configuration came from. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private static final System.Logger LOG = System.getLogger(ConnectorClientComponent.class.getName());

    // guarded by this: DS binds references before activate(), they are kept and handed to the client once it exists
    private final Map<DeviceManager, Map<String, Object>> deviceManagers = new LinkedHashMap<>();
    private final Map<WebSocketTransport, Map<String, Object>> transports = new LinkedHashMap<>();
    private final Map<CommandHandler, Map<String, Object>> handlers = new LinkedHashMap<>();
    private final List<ConnectionListener> listeners = new ArrayList<>();
    private Outbox outbox;
    private BundleContext context;
    private ClientAssembly assembly;
    private ServiceRegistration<ConnectorClient> registration;

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        ClientSettings settings;
        ClientAssembly made;
        Path idFile = bundleContext.getDataFile("gateway-id-" + pid.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt").toPath();
        try {
            settings = ClientSettings.from(properties);
            made = new ClientAssembly(settings, GatewayIdStore.file(idFile), null, ClientThreads.own(settings.account()),
                    null, List.of());
        } catch (IllegalArgumentException e) {
            ConfigurationProblems.report(pid, properties.get(FILE_PROPERTY), e);
            return; // up without a client: Config Admin hands over the corrected configuration
        }
        DefaultConnectorClient client = made.client();
        synchronized (this) {
            context = bundleContext;
            assembly = made;
            deviceManagers.forEach((m, p) -> made.deviceManagerAdded(m, name(p, DeviceManager.NAME), ranking(p)));
            transports.forEach((t, p) -> made.transportAdded(t, name(p, WebSocketTransport.NAME), ranking(p)));
            made.outbox(outbox);
            handlers.forEach(client::addCommandHandler);
            listeners.forEach(client::addConnectionListener);
        }
        client.start();
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put("host", settings.host());
        serviceProperties.put("port", settings.port());
        serviceProperties.put("user", settings.user());
        serviceProperties.put("encryption", settings.encryption());
        serviceProperties.put("connector.config.pid", pid);
        StatusProperties.put(client.status(), serviceProperties);
        ServiceRegistration<ConnectorClient> r = bundleContext.registerService(ConnectorClient.class, client,
                serviceProperties);
        synchronized (this) {
            registration = r;
        }
        made.watchStatus(new StatusProperties(serviceProperties, r::setProperties, Clock.systemUTC()),
                StatusProperties.CHECK_PERIOD);
        LOG.log(System.Logger.Level.INFO, "Started " + settings);
    }

    /**
     * Closes the connection first, while every service the client uses is still there, so that nothing of the
     * shutdown reaches the platform; then withdraws the service.
     */
    @Deactivate
    void deactivate() {
        ClientAssembly a;
        ServiceRegistration<ConnectorClient> r;
        synchronized (this) {
            a = assembly;
            r = registration;
            assembly = null; // from here on, rebinding references changes nothing
            registration = null;
        }
        if (a != null) {
            a.client().close();
        }
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    /**
     * The framework is stopping: services go one after another now, and the client must not react to that (no hand
     * over to a stand-in, no re-synchronisation). It closes at once: only the close reaches the platform.
     *
     * @return whether it closed
     */
    private boolean closedForShutdown() {
        BundleContext c;
        ClientAssembly a;
        synchronized (this) {
            c = context;
            a = assembly;
        }
        if (a == null || c == null) {
            return false;
        }
        boolean stopping;
        try {
            stopping = c.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING
                    || c.getBundle().getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            stopping = true; // our bundle context is gone: so are we
        }
        if (stopping) {
            a.client().close();
        }
        return stopping;
    }

    private synchronized ClientAssembly assembly() {
        return assembly;
    }

    // ---- references: what the client uses comes and goes ------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDeviceManager(DeviceManager manager, Map<String, Object> properties) {
        synchronized (this) {
            deviceManagers.put(manager, properties);
        }
        ClientAssembly a = assembly();
        if (a != null && !closedForShutdown()) {
            a.deviceManagerAdded(manager, name(properties, DeviceManager.NAME), ranking(properties));
        }
    }

    void removeDeviceManager(DeviceManager manager) {
        synchronized (this) {
            deviceManagers.remove(manager);
        }
        ClientAssembly a = assembly();
        if (a != null && !closedForShutdown()) {
            a.deviceManagerRemoved(manager);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(WebSocketTransport transport, Map<String, Object> properties) {
        synchronized (this) {
            transports.put(transport, properties);
        }
        ClientAssembly a = assembly();
        if (a != null && !closedForShutdown()) {
            a.transportAdded(transport, name(properties, WebSocketTransport.NAME), ranking(properties));
        }
    }

    void removeTransport(WebSocketTransport transport) {
        synchronized (this) {
            transports.remove(transport);
        }
        ClientAssembly a = assembly();
        if (a != null && !closedForShutdown()) {
            a.transportRemoved(transport);
        }
    }

    /**
     * The best outbox; a better one replaces it at run time (an in-memory outbox's pending messages move over, a
     * durable one keeps them for its next open).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindOutbox(Outbox o) {
        synchronized (this) {
            outbox = o;
        }
        ClientAssembly a = assembly();
        if (a != null) {
            a.outbox(o);
        }
    }

    void unbindOutbox(Outbox o) {
        synchronized (this) {
            if (outbox == o) {
                outbox = null; // no other: the client keeps the last one, which refuses new messages once closed
            }
        }
        closedForShutdown();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCommandHandler(CommandHandler handler, Map<String, Object> properties) {
        synchronized (this) {
            handlers.put(handler, properties);
        }
        ClientAssembly a = assembly();
        if (a != null) {
            a.client().addCommandHandler(handler, properties);
        }
    }

    void removeCommandHandler(CommandHandler handler) {
        synchronized (this) {
            handlers.remove(handler);
        }
        ClientAssembly a = assembly();
        if (a != null) {
            a.client().removeCommandHandler(handler);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConnectionListener(ConnectionListener listener) {
        synchronized (this) {
            listeners.add(listener);
        }
        ClientAssembly a = assembly();
        if (a != null) {
            a.client().addConnectionListener(listener);
        }
    }

    void removeConnectionListener(ConnectionListener listener) {
        synchronized (this) {
            listeners.remove(listener);
        }
        ClientAssembly a = assembly();
        if (a != null) {
            a.client().removeConnectionListener(listener);
        }
    }

    private static String name(Map<String, Object> properties, String key) {
        Object v = properties.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }
}
