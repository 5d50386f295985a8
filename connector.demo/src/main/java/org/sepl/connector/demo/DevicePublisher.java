package org.sepl.connector.demo;

import java.util.concurrent.atomic.AtomicBoolean;

import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;

/**
 * Adds one device to a client without blocking, and adds it again at the next connect if the platform did not
 * acknowledge it.
 * <p>
 * The client always applies {@code add} to its device manager, and the next connect's hash synchronisation
 * normally publishes it. Adding again once the client is ready closes the gap where the device was added while
 * a synchronisation was already under way; a repeated {@code put} of an unchanged device is harmless.
 * Thread-safe.
 */
final class DevicePublisher {

    private static final System.Logger LOG = System.getLogger(DevicePublisher.class.getName());

    private final ConnectorClient client;
    private final Device device;
    private final AtomicBoolean acknowledged = new AtomicBoolean();

    DevicePublisher(ConnectorClient client, Device device) {
        this.client = client;
        this.device = device;
    }

    /** Adds the device; returns at once. */
    void publish() {
        client.addAsync(device, client.defaultTimeout()).whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Device " + device.id() + " not published yet ("
                        + failure.getMessage() + "); it goes with the next synchronisation");
            } else if (response.isSuccess()) {
                acknowledged.set(true);
                LOG.log(System.Logger.Level.INFO, "Device " + device.id() + " (" + device.type() + ") published");
            } else {
                LOG.log(System.Logger.Level.WARNING, "Platform refused device " + device.id() + ": "
                        + response.status() + " " + response.payloadText());
            }
        });
    }

    /** Publishes again if no add has been acknowledged so far; call when the client becomes ready. */
    void publishIfNotAcknowledged() {
        if (!acknowledged.get()) {
            publish();
        }
    }
}
