package org.sepl.connector.impl.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;

/**
 * The user's device changes ({@code add}, {@code update}, {@code disconnect}, {@code delete}): always applied to the
 * device manager first, then published while the client is ready ({@link DeviceChangePublisher}); while not ready
 * they fail with {@code NOT_CONNECTED}, and the next synchronisation reconciles them. Counts them (a change during a
 * synchronisation makes it go round again) and remembers whether the user removed devices (only then may an empty
 * list replace the platform's).
 */
public final class DeviceChanges {

    private final DeviceManagerHandOver managers;
    private final DeviceChangePublisher publisher;
    private final BooleanSupplier ready;
    private final BooleanSupplier closed;
    private final AtomicLong count = new AtomicLong();
    private volatile boolean userRemovedDevices;

    public DeviceChanges(DeviceManagerHandOver managers, DeviceChangePublisher publisher, BooleanSupplier ready,
            BooleanSupplier closed) {
        this.managers = managers;
        this.publisher = publisher;
        this.ready = ready;
        this.closed = closed;
    }

    /** Adds or replaces; the answer is the {@code put}'s if it failed, else the {@code commit}'s. */
    public CompletableFuture<Response> add(Device device, Duration timeout) {
        Objects.requireNonNull(device, "device must not be null");
        managers.change(device.id(), manager -> manager.add(device) || manager.update(device));
        return publish(() -> publisher.put(device, timeout));
    }

    /** @throws IllegalArgumentException if the device manager has no device with this id (nothing is changed) */
    public CompletableFuture<Response> update(Device device, Duration timeout) {
        Objects.requireNonNull(device, "device must not be null");
        if (!managers.change(device.id(), manager -> manager.update(device))) {
            throw new IllegalArgumentException("device '" + device.id() + "' is not in the device manager: add it first");
        }
        return publish(() -> publisher.put(device, timeout));
    }

    public CompletableFuture<Response> disconnect(String deviceId, Duration timeout) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        removed(deviceId);
        return publish(() -> publisher.disconnect(deviceId, timeout));
    }

    public CompletableFuture<Response> delete(String deviceId, Duration timeout) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        removed(deviceId);
        return publish(() -> publisher.delete(deviceId, timeout));
    }

    private void removed(String deviceId) {
        managers.change(deviceId, manager -> manager.remove(deviceId));
        userRemovedDevices = true;
    }

    private CompletableFuture<Response> publish(Supplier<CompletableFuture<Response>> change) {
        count.incrementAndGet();
        if (closed.getAsBoolean()) {
            return CompletableFuture.failedFuture(new ConnectorException(Reason.CLOSED,
                    "client is closed: the device change is applied to the device manager only"));
        }
        if (!ready.getAsBoolean()) {
            // the synchronisation compares the device manager with the platform: the change is not lost
            return CompletableFuture.failedFuture(new ConnectorException(Reason.NOT_CONNECTED, "not connected to the "
                    + "platform: device change applied to the device manager; the synchronisation in progress or at "
                    + "the next connect publishes it"));
        }
        return change.get();
    }

    /** @return how many changes the user made so far */
    public long count() {
        return count.get();
    }

    /** @return whether the user removed devices since the last synchronisation */
    public boolean userRemovedDevices() {
        return userRemovedDevices;
    }

    /** A synchronisation published the device manager's list: removals are accounted for. */
    public void synchronised() {
        userRemovedDevices = false;
    }
}
