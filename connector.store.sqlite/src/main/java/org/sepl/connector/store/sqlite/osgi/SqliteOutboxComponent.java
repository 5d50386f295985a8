package org.sepl.connector.store.sqlite.osgi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.store.sqlite.SqliteOutbox;
import org.sepl.connector.store.support.OutboxMetatype;

/**
 * The durable SQLite outbox as a service, ranked 10 by default: while this bundle runs, the client uses it instead
 * of the in-memory outbox (ranking 0). A configuration change reopens the file (DS re-activates the component);
 * what is pending in it stays. Immediate, like the device manager (its javadoc says why). A damaged or unreadable file is moved aside (an ERROR names both paths) and an empty
 * outbox takes its place, so that the gateway keeps working; a file in use by another process, or that is not an
 * outbox, is refused and the component is not started (the client then uses the in-memory outbox).
 */
@Component(name = SqliteOutboxComponent.PID, service = Outbox.class, immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "service.ranking:Integer=10")
@Designate(ocd = SqliteOutboxComponent.Config.class)
public final class SqliteOutboxComponent implements Outbox {

    public static final String PID = "org.sepl.connector.store.sqlite.outbox";
    /** The file in the bundle's data area when {@code database} is empty. */
    public static final String DATABASE_DEFAULT_NAME = "outbox.db";
    private static final System.Logger LOG = System.getLogger(SqliteOutboxComponent.class.getName());

    @ObjectClassDefinition(name = "SEPL SQLite outbox", description = "Events and command answers kept in a SQLite "
            + "file until the platform answered them; survives restarts, kill -9 and power cuts.")
    public @interface Config {
        @AttributeDefinition(name = "Database file",
                description = "Path of the SQLite file; empty: " + DATABASE_DEFAULT_NAME + " in this bundle's data area.")
        String database() default "";

        @AttributeDefinition(name = "Service ranking",
                description = "The client uses the outbox with the highest ranking (in-memory: 0).")
        int service_ranking() default 10;

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

    private final SqliteOutbox outbox;

    @Activate
    public SqliteOutboxComponent(BundleContext context, Config config) {
        Path file = config.database().isBlank() ? context.getDataFile(DATABASE_DEFAULT_NAME).toPath()
                : Path.of(config.database());
        try {
            OutboxLimits limits = OutboxLimits.of(config.max_messages(), config.max_bytes(), config.max_age_seconds(),
                    config.full_policy());
            outbox = SqliteOutbox.openSettingAsideDamaged(file, limits, Clock.systemUTC());
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.log(System.Logger.Level.ERROR, "SQLite outbox not started (configuration " + PID + "): " + e.getMessage());
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "SQLite outbox: {0} messages pending in {1}", outbox.status().depth(),
                outbox.file());
    }

    @Deactivate
    void deactivate() {
        outbox.close();
    }

    @Override
    public CompletionStage<OutboxEntry> append(OutboxMessage message) {
        return outbox.append(message);
    }

    @Override
    public List<OutboxEntry> pending(long afterId, int max) {
        return outbox.pending(afterId, max);
    }

    @Override
    public CompletionStage<Boolean> settle(long id, Settlement settlement) {
        return outbox.settle(id, settlement);
    }

    @Override
    public OutboxStatus status() {
        return outbox.status();
    }

    @Override
    public OutboxLimits limits() {
        return outbox.limits();
    }

    @Override
    public void addListener(OutboxListener listener) {
        outbox.addListener(listener);
    }

    @Override
    public void removeListener(OutboxListener listener) {
        outbox.removeListener(listener);
    }

    /** The component's lifecycle closes the outbox: a user's close() is ignored (other users share it). */
    @Override
    public void close() {
        // closed by deactivate
    }
}
