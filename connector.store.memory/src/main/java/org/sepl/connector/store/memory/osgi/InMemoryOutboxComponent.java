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
import org.sepl.connector.store.support.OutboxMetatype;

/**
 * The bounded in-memory outbox as a service, ranked 0: a durable outbox with a higher {@code service.ranking} (the
 * SQLite one has 10) takes its place in the client while it runs. Immediate, so that what it holds stays while the
 * bundle runs even when no client uses it (a delayed component would be deactivated, and emptied, the moment the
 * client moved to a better outbox, before the client could move the messages over). A configuration change makes a new, empty outbox
 * (DS re-activates the component; what was pending in the old one is lost, as at a restart).
 */
@Component(name = InMemoryOutboxComponent.PID, service = Outbox.class, immediate = true,
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

        @AttributeDefinition(name = OutboxMetatype.MAX_MESSAGES_NAME, description = OutboxMetatype.MAX_MESSAGES_DESCRIPTION, min = "1")
        int max_messages() default OutboxLimits.MAX_MESSAGES_DEFAULT;

        @AttributeDefinition(name = OutboxMetatype.MAX_BYTES_NAME, description = OutboxMetatype.MAX_BYTES_DESCRIPTION, min = "1")
        long max_bytes() default OutboxLimits.MAX_BYTES_DEFAULT;

        @AttributeDefinition(name = OutboxMetatype.MAX_AGE_NAME, description = OutboxMetatype.MAX_AGE_DESCRIPTION, min = "1")
        long max_age_seconds() default OutboxLimits.MAX_AGE_SECONDS_DEFAULT;

        @AttributeDefinition(name = OutboxMetatype.FULL_POLICY_NAME, description = OutboxMetatype.FULL_POLICY_DESCRIPTION,
                options = { @Option(value = "REFUSE_NEW", label = OutboxMetatype.REFUSE_NEW_LABEL),
                        @Option(value = "DROP_OLDEST", label = OutboxMetatype.DROP_OLDEST_LABEL) })
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
