package org.sepl.connector.impl.sync;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.impl.logging.Plural;

/**
 * The device manager the client uses now, and its replacement by another one (OSGi: a better one appears, or the one
 * in use goes). The devices the client had (the old manager's; if it cannot be read, those the platform holds) that
 * the new manager lacks are copied into it; devices it already holds are kept as they are there. Then the client
 * re-synchronises, which sends nothing when the lists agree. So memory to SQLite keeps and persists the devices,
 * SQLite to the in-memory fallback keeps them, and the start order does not matter.
 * <p>
 * The hand-over runs on the {@code changes} lane, which owns the ledger of what the platform holds: the thread that
 * reports the replacement (a DS bind or unbind) never waits for it.
 */
public final class DeviceManagerHandOver {

    private static final System.Logger LOG = System.getLogger(DeviceManagerHandOver.class.getName());

    private final ExecutorService lane;
    private final DeviceChangePublisher publisher;
    private volatile DeviceManager current;
    private volatile Consumer<String> replaced = why -> { };

    /** @param initial the manager to start with, or null until one is {@link #replace replaced} in */
    public DeviceManagerHandOver(DeviceManager initial, ExecutorService lane, DeviceChangePublisher publisher) {
        this.current = initial;
        this.lane = lane;
        this.publisher = publisher;
    }

    /** Told after each replacement, with why (the client re-synchronises). */
    public void whenReplaced(Consumer<String> listener) {
        this.replaced = Objects.requireNonNull(listener, "listener must not be null");
    }

    /**
     * Waits until the replacements asked for so far are done (they queue on the lane), so that {@link #current()} is
     * the one chosen last: a synchronisation never starts with a manager that is being replaced.
     */
    public void awaitReplacements() throws InterruptedException {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        try {
            lane.execute(() -> done.complete(null));
            done.get();
        } catch (RejectedExecutionException | java.util.concurrent.ExecutionException e) {
            // closing
        }
    }

    /** @return the device manager in use, or null before the first one */
    public DeviceManager current() {
        return current;
    }

    /**
     * Uses {@code next} from now on, after handing the devices over to it.
     *
     * @param oldDevices the old manager's devices read while it was still there (it is going away), or null to read
     *                   them on the lane
     */
    public void replace(DeviceManager next, Collection<Device> oldDevices) {
        Objects.requireNonNull(next, "next must not be null");
        try {
            lane.execute(() -> handOver(next, oldDevices));
        } catch (RejectedExecutionException e) {
            current = next; // closing: nothing reaches the platform any more
        }
    }

    private void handOver(DeviceManager next, Collection<Device> oldDevices) {
        DeviceManager old = current;
        if (old == next) {
            return;
        }
        if (old == null) {
            current = next; // the first one: nothing to hand over, nothing synchronised yet
            return;
        }
        Collection<Device> had = oldDevices;
        if (had == null && old != null) {
            try {
                had = old.devices();
            } catch (RuntimeException e) {
                had = null;
            }
        }
        if (had == null) {
            had = publisher.platformDevicesOnLane(); // this is the lane that owns the ledger
        }
        copyMissing(had, next);
        current = next;
        replaced.accept("Device manager changed to " + next.getClass().getName());
    }

    private static void copyMissing(Collection<Device> had, DeviceManager to) {
        if (had == null || had.isEmpty()) {
            return;
        }
        try {
            Set<String> present = new HashSet<>();
            for (Device d : to.devices()) {
                present.add(d.id());
            }
            List<Device> missing = had.stream().filter(d -> !present.contains(d.id())).toList();
            if (!missing.isEmpty()) {
                int copied = to.addAll(missing);
                LOG.log(INFO, "Handed {0} over to the new device manager {1}", Plural.of(copied, "device"),
                        to.getClass().getName());
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cannot hand the devices over to the new device manager " + to.getClass().getName(), e);
        }
    }
}
