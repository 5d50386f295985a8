package org.sepl.connector.api;

import java.util.Collection;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the gateway keeps its devices (the original client's {@code DeviceManagerInterface}).
 * <p>
 * Register an implementation as an OSGi service; the client uses the one its configuration names ({@link #NAME}), or
 * else the one with the highest service ranking, and re-synchronises with the platform when that changes. Stock implementations: the in-memory
 * {@code connector.store.memory} and the persistent {@code connector.store.sqlite}.
 * <p>
 * <b>Contract.</b> Implementations are thread-safe: the client and the gateway's own code call them from
 * any thread, concurrently. Each method completes before it returns (a persistent store has made the change
 * durable). Ids are compared exactly (case-sensitive). Unknown ids and duplicate adds are not errors: they
 * return {@code false} and change nothing. Null arguments throw {@link NullPointerException} naming the
 * argument. A store that cannot do its job (disk full, database corrupt) throws
 * {@link IllegalStateException} with a message naming the store, and leaves its data as it was.
 * <p>
 * The client calls these methods; gateway code normally changes devices through {@link ConnectorClient}
 * ({@code add}, {@code update}, ...), which applies the change here and publishes it. Changes made directly
 * on a device manager reach the platform at the next (re)connect, through the hash synchronisation.
 */
@ConsumerType
public interface DeviceManager {

    /**
     * Service property: the device manager's name ({@code memory}, {@code sqlite}, or yours), which a client's
     * configuration ({@code deviceManager}) may ask for. Since 1.3.
     */
    String NAME = "connector.devicemanager.name";

    /**
     * Adds a device.
     *
     * @return {@code true} if added; {@code false} if a device with this id already exists (it is kept as it is)
     */
    boolean add(Device device);

    /**
     * Adds several devices at once; stores may do this in one transaction. The default calls {@link #add} for
     * each device.
     *
     * @return how many devices were added (those whose id already existed are skipped)
     */
    default int addAll(Collection<? extends Device> devices) {
        int added = 0;
        for (Device device : devices) {
            if (add(device)) {
                added++;
            }
        }
        return added;
    }

    /**
     * Replaces the stored device that has the same id.
     *
     * @return {@code true} if replaced; {@code false} if there is no device with this id (nothing is added)
     */
    boolean update(Device device);

    /**
     * Removes a device.
     *
     * @return {@code true} if removed; {@code false} if there was no device with this id
     */
    boolean remove(String deviceId);

    /** @return the device with this id, if any */
    Optional<Device> get(String deviceId);

    /** @return a snapshot of all devices, in no particular order; later changes do not show in it */
    Collection<Device> devices();
}
