package org.sepl.connector.demo;

import java.util.concurrent.atomic.AtomicReference;

import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;

/**
 * Adds one device to a client without blocking, and adds it again at the next connect if the platform did not
 * acknowledge it.
 * <p>
 * The client always applies {@code add} to its device manager, and the next connect's hash synchronisation
 * normally publishes it. Adding again once the client is ready closes the gap where the device was added while
 * a synchronisation was already under way; a repeated {@code put} of an unchanged device is harmless.
 * <p>
 * Only one add is in flight at a time: the component adds its device when it activates and the client calls its
 * {@code connected} listener as soon as it is registered, while that first add is still unanswered, so "publish
 * again" must wait for the first answer. (It did not, and every demo device was added, and logged, twice.)
 * Thread-safe.
 */
final class DevicePublisher {

    private static final System.Logger LOG = System.getLogger(DevicePublisher.class.getName());

    private final ConnectorClient client;
    private final Device device;
    private final AtomicReference<State> state = new AtomicReference<>(State.NOT_PUBLISHED);

    private enum State {
        /** never added, or the last add failed */
        NOT_PUBLISHED,
        /** an add is in flight */
        PUBLISHING,
        /** the platform acknowledged an add */
        ACKNOWLEDGED
    }

    DevicePublisher(ConnectorClient client, Device device) {
        this.client = client;
        this.device = device;
    }

    /**
     * Adds the device unless an add is in flight or was acknowledged; returns at once. Call it when the component
     * activates and whenever the client becomes ready.
     */
    void publish() {
        if (state.compareAndSet(State.NOT_PUBLISHED, State.PUBLISHING)) {
            add();
        }
    }

    private void add() {
        client.addAsync(device, client.defaultTimeout()).whenComplete((response, failure) -> {
            state.set(failure == null && response.isSuccess() ? State.ACKNOWLEDGED : State.NOT_PUBLISHED);
            if (failure != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Device " + device.id() + " not published yet ("
                        + failure.getMessage() + "); it goes with the next synchronisation");
            } else if (response.isSuccess()) {
                LOG.log(System.Logger.Level.INFO, "Device " + device.id() + " (" + device.type() + ") published");
            } else {
                LOG.log(System.Logger.Level.WARNING, "Platform refused device " + device.id() + ": "
                        + response.status() + " " + response.payloadText());
            }
        });
    }
}
