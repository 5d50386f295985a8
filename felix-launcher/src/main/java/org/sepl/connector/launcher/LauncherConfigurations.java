package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The configurations the launcher itself writes into Configuration Admin (the demo's, the command line's), marked
 * {@value ClientSetup#GENERATED}{@code =true} so that the next run can remove them. Uses the real
 * {@link ConfigurationAdmin} interface, which the system bundle exports (see {@link GatewayFramework}). Used by the
 * launcher's main thread.
 */
final class LauncherConfigurations implements AutoCloseable {

    private final ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker;
    private final ConfigurationAdmin admin;

    private LauncherConfigurations(ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker,
            ConfigurationAdmin admin) {
        this.tracker = tracker;
        this.admin = admin;
    }

    /**
     * Waits at most {@code timeout} for Configuration Admin.
     *
     * @throws IllegalStateException if it did not come
     */
    static LauncherConfigurations connect(BundleContext context, Duration timeout) throws InterruptedException {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker = new ServiceTracker<>(context,
                ConfigurationAdmin.class, null);
        tracker.open();
        ConfigurationAdmin admin = tracker.waitForService(timeout.toMillis());
        if (admin == null) {
            tracker.close();
            throw new IllegalStateException("no Configuration Admin within " + timeout);
        }
        return new LauncherConfigurations(tracker, admin);
    }

    /** Creates or replaces the configuration {@code pid} (not bound to a bundle location). */
    void update(String pid, Map<String, ?> properties) {
        try {
            Configuration configuration = admin.getConfiguration(pid, "?");
            configuration.update(new Hashtable<String, Object>(properties));
        } catch (IOException e) {
            throw new UncheckedIOException("Configuration Admin cannot store " + pid, e);
        }
    }

    /**
     * Deletes every configuration matching an LDAP filter.
     *
     * @return how many were deleted
     */
    int deleteAll(String filter) {
        try {
            Configuration[] configurations = admin.listConfigurations(filter);
            if (configurations == null) {
                return 0;
            }
            for (Configuration configuration : configurations) {
                configuration.delete();
            }
            return configurations.length;
        } catch (IOException e) {
            throw new UncheckedIOException("Configuration Admin cannot delete " + filter, e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
    }

    @Override
    public void close() {
        tracker.close();
    }
}
