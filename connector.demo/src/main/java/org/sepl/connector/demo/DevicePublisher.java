package org.sepl.connector.demo;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Device;

/**
 * Adds one device to a client without blocking, adds it again at the next connect if the platform did not
 * acknowledge it, and announces it in the log once.
 * <p>
 * The client always applies {@code add} to its device manager, and the next connect's hash synchronisation
 * normally publishes it. Adding again once the client is ready closes the gap where the device was added while
 * a synchronisation was already under way; a repeated {@code put} of an unchanged device is harmless.
 * <p>
 * Only one add is in flight at a time: the component adds its device when it activates and the client calls its
 * {@code connected} listener as soon as it is registered, while that first add is still unanswered, so "publish
 * again" must wait for the first answer. (It did not, and every demo device was added, and logged, twice.) The log
 * says once either that the platform acknowledged the device or, when the client was not ready, that the device
 * goes with the synchronisation (the client says so in its answer); a later acknowledgement is not announced again.
 * Thread-safe.
 */
final class DevicePublisher {

    private static final System.Logger LOG = System.getLogger(DevicePublisher.class.getName());

    private final ConnectorClient client;
    private final Device device;
    private final AtomicReference<State> state = new AtomicReference<>(State.NOT_PUBLISHED);
    private final AtomicBoolean announced = new AtomicBoolean();

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
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                    : failure;
            if (failure == null && response.isSuccess()) {
                announce("published");
            } else if (failure == null) {
                LOG.log(System.Logger.Level.WARNING, "Platform refused device " + device.id() + ": "
                        + response.status() + " " + response.payloadText());
            } else if (cause instanceof ConnectorException e && e.reason() == ConnectorException.Reason.NOT_CONNECTED) {
                announce("added: the client's synchronisation takes it to the platform");
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "Device " + device.id() + " not published yet ("
                        + failure.getMessage() + "); it goes with the next synchronisation");
            }
        });
    }

    private void announce(String what) {
        if (announced.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "Device " + device.id() + " (" + device.type() + ") " + what);
        }
    }
}
