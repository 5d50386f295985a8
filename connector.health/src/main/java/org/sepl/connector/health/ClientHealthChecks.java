package org.sepl.connector.health;

import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.apache.felix.hc.api.HealthCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sepl.connector.api.ConnectorClient;

/**
 * Registers one {@link HealthCheck} service ({@link ClientHealth}) per {@link ConnectorClient} service, named
 * {@code SEPL connector client PID} ({@code hc.name}) and tagged ({@code hc.tags}, by default {@code sepl-connector}
 * and {@code connectivity}), so that Felix Health Checks' executor, servlet and web console, and watchdogs that use
 * them, find them by tag. Settings in configuration {@value #PID} (optional).
 */
@Component(immediate = true, configurationPid = ClientHealthChecks.PID)
@Designate(ocd = ClientHealthChecks.Config.class)
public final class ClientHealthChecks {

    public static final String PID = "org.sepl.connector.health";
    /** Service property of each client: the PID of its configuration (connector.impl sets it). */
    static final String CONFIG_PID = "connector.config.pid";
    /** What each check's {@code hc.name} starts with. */
    public static final String NAME_PREFIX = "SEPL connector client ";

    @ObjectClassDefinition(name = "SEPL connector health checks",
            description = "One Felix Health Check per connector client: CRITICAL when not connected and synchronised "
                    + "for longer than the grace period, WARN when the outbox will soon be full or messages were "
                    + "lost recently.")
    public @interface Config {
        @AttributeDefinition(name = "Grace (seconds)", description = "How long a client may be not connected and "
                + "synchronised before its check is CRITICAL", min = "0")
        long graceSeconds() default 60;

        @AttributeDefinition(name = "Outbox full warning (minutes)", description = "WARN when the outbox will be "
                + "full within this many minutes at the current pace", min = "0")
        long outboxFullWarningMinutes() default 10;

        @AttributeDefinition(name = "Loss warning (minutes)", description = "WARN for this many minutes after "
                + "messages were refused, dropped, expired or left unanswered", min = "0")
        long lossWarningMinutes() default 15;

        @AttributeDefinition(name = "Tags", description = "The checks' hc.tags, for hc tooling to select them")
        String[] tags() default { "sepl-connector", "connectivity" };
    }

    private final Map<ConnectorClient, Map<String, Object>> clients = new HashMap<>(); // guarded by this
    private final Map<ConnectorClient, ServiceRegistration<HealthCheck>> checks = new HashMap<>(); // guarded by this
    private BundleContext context; // guarded by this
    private ClientHealth.Settings settings; // guarded by this
    private String[] tags; // guarded by this

    @Activate
    synchronized void activate(BundleContext bundleContext, Config config) {
        settings = settings(config);
        tags = config.tags().clone();
        context = bundleContext;
        clients.forEach(this::register);
    }

    /** @throws IllegalArgumentException naming the property if a value is negative */
    static ClientHealth.Settings settings(Config config) {
        return new ClientHealth.Settings(nonNegative("graceSeconds", config.graceSeconds(), Duration::ofSeconds),
                nonNegative("outboxFullWarningMinutes", config.outboxFullWarningMinutes(), Duration::ofMinutes),
                nonNegative("lossWarningMinutes", config.lossWarningMinutes(), Duration::ofMinutes));
    }

    private static Duration nonNegative(String property, long value, java.util.function.LongFunction<Duration> unit) {
        if (value < 0) {
            throw new IllegalArgumentException(PID + ": property '" + property + "' = " + value
                    + ": must be 0 or more");
        }
        return unit.apply(value);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addClient(ConnectorClient client, Map<String, Object> properties) {
        clients.put(client, properties);
        if (context != null) {
            register(client, properties);
        }
    }

    synchronized void removeClient(ConnectorClient client) {
        clients.remove(client);
        unregister(checks.remove(client));
    }

    private void register(ConnectorClient client, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault(CONFIG_PID, "?"));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HealthCheck.NAME, NAME_PREFIX + name);
        props.put(HealthCheck.TAGS, tags.clone());
        props.put(CONFIG_PID, name);
        checks.put(client, context.registerService(HealthCheck.class,
                new ClientHealth(name, client::status, settings, Clock.systemUTC()), props));
    }

    private static void unregister(ServiceRegistration<HealthCheck> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        checks.values().forEach(ClientHealthChecks::unregister);
        checks.clear();
        context = null;
    }
}
