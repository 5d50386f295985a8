package org.sepl.connector.store.memory.osgi;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * The in-memory device manager as a service, ranked 0: any store with a higher {@code service.ranking} (the SQLite
 * store has 10) takes its place in the client while it runs. Immediate, so that its devices stay while the bundle
 * runs even when no client uses it.
 */
@Component(name = InMemoryDeviceManagerComponent.PID, service = DeviceManager.class, immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = { "service.ranking:Integer=0", DeviceManager.NAME + "=" + InMemoryDeviceManager.NAME })
@Designate(ocd = InMemoryDeviceManagerComponent.Config.class)
public final class InMemoryDeviceManagerComponent extends InMemoryDeviceManager {

    public static final String PID = "org.sepl.connector.store.memory";

    @ObjectClassDefinition(name = "SEPL in-memory device manager",
            description = "Devices kept in memory; lost when the gateway stops.")
    public @interface Config {
        @AttributeDefinition(name = "Service ranking",
                description = "The client uses the device manager with the highest ranking.")
        int service_ranking() default 0;
    }
}
