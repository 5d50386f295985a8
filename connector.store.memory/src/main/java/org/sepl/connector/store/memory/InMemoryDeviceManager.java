package org.sepl.connector.store.memory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;

/**
 * Devices kept in memory, in the order they were added (the original client's {@code DevicePool}). Lost when the
 * gateway stops: the platform keeps them, and the next start synchronises whatever the gateway adds again.
 * <p>
 * Thread-safe; every method takes one short lock. {@link Device} objects are stored as given (not copied): changing
 * one after adding it changes what this manager holds, as in the original.
 */
public class InMemoryDeviceManager implements DeviceManager {

    /**
     * This manager's name as an OSGi service ({@link org.sepl.connector.api.DeviceManager#NAME}): what a client
     * configuration's {@code deviceManager} property names to use it.
     */
    public static final String NAME = "memory";

    private final Map<String, Device> devices = new LinkedHashMap<>();

    @Override
    public synchronized boolean add(Device device) {
        Objects.requireNonNull(device, "device must not be null");
        return devices.putIfAbsent(device.id(), device) == null;
    }

    @Override
    public synchronized int addAll(Collection<? extends Device> devices) {
        Objects.requireNonNull(devices, "devices must not be null");
        for (Device device : devices) {
            Objects.requireNonNull(device, "devices must not contain null");
        }
        int added = 0;
        for (Device device : devices) {
            if (this.devices.putIfAbsent(device.id(), device) == null) {
                added++;
            }
        }
        return added;
    }

    @Override
    public synchronized boolean update(Device device) {
        Objects.requireNonNull(device, "device must not be null");
        return devices.replace(device.id(), device) != null;
    }

    @Override
    public synchronized boolean remove(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        return devices.remove(deviceId) != null;
    }

    @Override
    public synchronized Optional<Device> get(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        return Optional.ofNullable(devices.get(deviceId));
    }

    @Override
    public synchronized Collection<Device> devices() {
        return List.copyOf(devices.values());
    }

    @Override
    public synchronized String toString() {
        return "InMemoryDeviceManager[" + devices.size() + " devices]";
    }
}
