package org.sepl.connector.store.sqlite.osgi;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.store.sqlite.SqliteDeviceManager;

/**
 * The SQLite device manager as a service, ranked 10 by default: while this bundle runs, the client uses it instead
 * of the in-memory manager (ranking 0) and re-synchronises; stop the bundle and the client falls back.
 * A configuration change reopens the database (DS re-activates the component). Immediate: the file is opened when the
 * bundle starts, so that a file that cannot be used is reported then, once, and no service is registered for it (a
 * delayed component would register its service first and fail each time it is asked for). A damaged file, or one in use by
 * another process, is never replaced: the component is not started, with an ERROR naming the file and what to do, and a
 * client configured with {@code deviceManager=sqlite} waits for it.
 */
@Component(name = SqliteDeviceManagerComponent.PID, service = DeviceManager.class, immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = { "service.ranking:Integer=10", DeviceManager.NAME + "=" + SqliteDeviceManager.NAME })
@Designate(ocd = SqliteDeviceManagerComponent.Config.class)
public final class SqliteDeviceManagerComponent implements DeviceManager {

    public static final String PID = "org.sepl.connector.store.sqlite";
    private static final System.Logger LOG = System.getLogger(SqliteDeviceManagerComponent.class.getName());

    @ObjectClassDefinition(name = "SEPL SQLite device manager", description = "Devices kept in a SQLite database file.")
    public @interface Config {
        @AttributeDefinition(name = "Database file",
                description = "Path of the SQLite file; empty: devices.db in this bundle's data area.")
        String database() default "";

        @AttributeDefinition(name = "Service ranking",
                description = "The client uses the device manager with the highest ranking (in-memory: 0).")
        int service_ranking() default 10;
    }

    private SqliteDeviceManager store;

    @Activate
    void activate(BundleContext context, Config config) {
        Path file = config.database().isBlank() ? context.getDataFile("devices.db").toPath() : Path.of(config.database());
        try {
            store = SqliteDeviceManager.open(file);
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.ERROR, "SQLite device manager not started (configuration " + PID + "): "
                    + e.getMessage());
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "SQLite device manager: {0} devices in {1}", store.devices().size(), store.file());
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    @Override
    public boolean add(Device device) {
        return store.add(device);
    }

    @Override
    public int addAll(Collection<? extends Device> devices) {
        return store.addAll(devices);
    }

    @Override
    public boolean update(Device device) {
        return store.update(device);
    }

    @Override
    public boolean remove(String deviceId) {
        return store.remove(deviceId);
    }

    @Override
    public Optional<Device> get(String deviceId) {
        return store.get(deviceId);
    }

    @Override
    public Collection<Device> devices() {
        return store.devices();
    }
}
