package org.sepl.connector.store.memory.osgi;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.store.memory.InMemoryOutbox;

/**
 * The bounded in-memory outbox as a service, ranked 0: a durable outbox with a higher {@code service.ranking} (the
 * SQLite one has 10) takes its place in the client while it runs. A configuration change makes a new, empty outbox
 * (DS re-activates the component; what was pending in the old one is lost, as at a restart).
 */
@Component(name = InMemoryOutboxComponent.PID, service = Outbox.class,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "service.ranking:Integer=0")
@Designate(ocd = InMemoryOutboxComponent.Config.class)
public final class InMemoryOutboxComponent extends InMemoryOutbox {

    public static final String PID = "org.sepl.connector.store.memory.outbox";

    @ObjectClassDefinition(name = "SEPL in-memory outbox",
            description = "Events and command answers kept in memory until the platform answered them; "
                    + "survives outages of the link, not a restart of the gateway.")
    public @interface Config {
        @AttributeDefinition(name = "Service ranking",
                description = "The client uses the outbox with the highest ranking (SQLite: 10).")
        int service_ranking() default 0;

        @AttributeDefinition(name = "Maximum messages", description = "Capacity in messages (at least 1).", min = "1")
        int max_messages() default OutboxLimits.MAX_MESSAGES_DEFAULT;

        @AttributeDefinition(name = "Maximum bytes", description = "Capacity in bytes of device ids, service ids "
                + "and payloads (at least 1).", min = "1")
        long max_bytes() default OutboxLimits.MAX_BYTES_DEFAULT;

        @AttributeDefinition(name = "Maximum age (s)", description = "A message not delivered after this many "
                + "seconds expires: removed, counted and logged.", min = "1")
        long max_age_seconds() default OutboxLimits.MAX_AGE_SECONDS_DEFAULT;

        @AttributeDefinition(name = "When full", description = "REFUSE_NEW: a new message is refused (the caller "
                + "is told); DROP_OLDEST: the oldest messages are dropped (counted and logged) to make room.",
                options = { @Option(value = "REFUSE_NEW", label = "Refuse new messages"),
                        @Option(value = "DROP_OLDEST", label = "Drop the oldest messages") })
        String full_policy() default OutboxLimits.FULL_POLICY_DEFAULT;
    }

    @Activate
    public InMemoryOutboxComponent(Config config) {
        super(OutboxLimits.of(config.max_messages(), config.max_bytes(), config.max_age_seconds(), config.full_policy()));
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
