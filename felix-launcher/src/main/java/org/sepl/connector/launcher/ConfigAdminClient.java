package org.sepl.connector.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Writes configurations into the framework's Configuration Admin from the launcher.
 * <p>
 * Like {@link OsgiLogBridge}, it does not share {@code org.osgi.service.cm} with the framework; it calls the
 * interfaces the Config Admin bundle exports by reflection. Only {@link Dictionary}, {@link String} and boxed
 * primitives cross the boundary, and those come from the JDK. Not thread-safe: used by the launcher's main thread.
 */
final class ConfigAdminClient implements AutoCloseable {

    private static final String ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    private final ServiceTracker<Object, Object> tracker;
    private final Object admin;
    private final Method getConfiguration;
    private final Method listConfigurations;
    private final Method update;
    private final Method delete;

    private ConfigAdminClient(ServiceTracker<Object, Object> tracker, Object admin, Class<?> adminType,
            Class<?> configurationType) throws NoSuchMethodException {
        this.tracker = tracker;
        this.admin = admin;
        this.getConfiguration = adminType.getMethod("getConfiguration", String.class, String.class);
        this.listConfigurations = adminType.getMethod("listConfigurations", String.class);
        this.update = configurationType.getMethod("update", Dictionary.class);
        this.delete = configurationType.getMethod("delete");
    }

    /**
     * Waits at most {@code timeout} for Configuration Admin.
     *
     * @throws IllegalStateException if it did not come, or its interfaces are not as specified
     */
    static ConfigAdminClient connect(BundleContext context, Duration timeout) throws InterruptedException {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, ADMIN, null);
        tracker.open(true);
        try {
            Object admin = tracker.waitForService(timeout.toMillis());
            if (admin == null) {
                throw new IllegalStateException("no " + ADMIN + " within " + timeout);
            }
            Bundle cmBundle = tracker.getServiceReference().getBundle();
            return new ConfigAdminClient(tracker, admin, cmBundle.loadClass(ADMIN),
                    cmBundle.loadClass("org.osgi.service.cm.Configuration"));
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            tracker.close();
            throw new IllegalStateException("cannot use Configuration Admin: " + e, e);
        } catch (RuntimeException | InterruptedException e) {
            tracker.close();
            throw e;
        }
    }

    /**
     * Creates or replaces the configuration {@code pid} (not bound to a bundle location).
     *
     * @throws IllegalStateException if Configuration Admin refused it
     */
    void update(String pid, Map<String, ?> properties) {
        Dictionary<String, Object> dictionary = new Hashtable<>(properties);
        Object configuration = call(getConfiguration, admin, pid, "?");
        call(update, configuration, dictionary);
    }

    /**
     * Deletes every configuration matching an LDAP filter.
     *
     * @return how many were deleted
     */
    int deleteAll(String filter) {
        Object[] configurations = (Object[]) call(listConfigurations, admin, filter);
        if (configurations == null) {
            return 0;
        }
        for (Object configuration : configurations) {
            call(delete, configuration);
        }
        return configurations.length;
    }

    private static Object call(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Configuration Admin " + method.getName() + " failed: "
                    + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Configuration Admin " + method.getName() + " not accessible", e);
        }
    }

    @Override
    public void close() {
        tracker.close();
    }
}
