package org.sepl.connector.impl.sync;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * The new manager is in use from the moment it is chosen: the user's device changes go to it at once, never to one
 * that is going away (and may be closed a moment later). The copy runs on the {@code changes} lane, which owns the
 * ledger of what the platform holds, so the thread that reports the replacement (a DS bind or unbind) never waits
 * for it. Until the copy is done, a device the user changed since the switch is left as the user made it (a device
 * deleted then is not copied back), and a device looked up that the new manager lacks yet is found in the old one.
 */
public final class DeviceManagerHandOver {

    private static final System.Logger LOG = System.getLogger(DeviceManagerHandOver.class.getName());

    private final ExecutorService lane;
    private final DeviceChangePublisher publisher;
    /** Guards the switch, the user's changes and the copies, so that a copy never undoes a change. */
    private final Object switching = new Object();
    private volatile DeviceManager current;
    /** The hand-overs chosen but not copied yet, oldest first; guarded by {@link #switching}. */
    private final List<PendingCopy> pending = new ArrayList<>();
    /** Ids of the devices the user changed while a copy was pending; guarded by {@link #switching}. */
    private final Set<String> changedMeanwhile = new HashSet<>();
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
     * Waits until the copies asked for so far are done (they queue on the lane): a synchronisation never starts
     * before the new manager holds what it was handed.
     */
    public void awaitReplacements() throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            lane.execute(() -> done.complete(null));
            done.get();
        } catch (RejectedExecutionException | ExecutionException e) {
            // closing
        }
    }

    /** @return the device manager in use, or null before the first one */
    public DeviceManager current() {
        return current;
    }

    /**
     * Applies a user's change of device {@code deviceId} to the manager in use; a hand-over in progress leaves that
     * device as the change made it.
     *
     * @throws IllegalStateException if there is no device manager yet
     */
    public <T> T change(String deviceId, Function<DeviceManager, T> change) {
        synchronized (switching) {
            DeviceManager manager = current;
            if (manager == null) {
                throw new IllegalStateException("no device manager yet: the client starts with one (OSGi: a "
                        + "DeviceManager service; plain Java: ConnectorClientBuilder.deviceManager)");
            }
            if (!pending.isEmpty()) {
                changedMeanwhile.add(deviceId);
            }
            return change.apply(manager);
        }
    }

    /** @return the device with this id in the manager in use, or, while a hand-over is copying, in the old one */
    public Optional<Device> device(String id) {
        DeviceManager manager = current;
        Optional<Device> found = manager == null ? Optional.empty() : manager.get(id);
        if (found.isPresent()) {
            return found;
        }
        synchronized (switching) {
            if (changedMeanwhile.contains(id)) {
                return current.get(id);
            }
            for (int i = pending.size() - 1; i >= 0; i--) {
                Optional<Device> old = pending.get(i).find(id);
                if (old.isPresent()) {
                    return old;
                }
            }
            return current == null ? Optional.empty() : current.get(id);
        }
    }

    /**
     * A manager is going away (OSGi: it is being unbound and will be closed): if its devices are still to be handed
     * over, or it is the one in use, they are read now, while it can still be read.
     *
     * @return its devices if it is the one in use (to pass to the {@link #replace} that follows), else null
     */
    public Collection<Device> goingAway(DeviceManager manager) {
        PendingCopy copy;
        synchronized (switching) {
            copy = pending.stream().filter(p -> p.from == manager).findFirst().orElse(null);
        }
        if (copy == null && manager != current) {
            return null;
        }
        Collection<Device> devices = readOrNull(manager);
        if (copy != null) {
            copy.lastDevices = devices;
        }
        return manager == current ? devices : null;
    }

    /**
     * Uses {@code next} from now on; the devices the current one has are handed over to it on the lane.
     *
     * @param oldDevices the current manager's devices read while it was still there (it is going away), or null to
     *                   read them on the lane
     */
    public void replace(DeviceManager next, Collection<Device> oldDevices) {
        Objects.requireNonNull(next, "next must not be null");
        PendingCopy copy;
        synchronized (switching) {
            DeviceManager old = current;
            if (old == next) {
                return;
            }
            current = next;
            if (old == null) {
                return; // the first one: nothing to hand over, nothing synchronised yet
            }
            copy = new PendingCopy(old, oldDevices);
            pending.add(copy);
        }
        try {
            lane.execute(() -> handOver(copy));
        } catch (RejectedExecutionException e) {
            done(copy); // closing: nothing reaches the platform any more
        }
    }

    private void handOver(PendingCopy copy) {
        Collection<Device> had = copy.lastDevices;
        if (had == null) {
            had = readOrNull(copy.from);
        }
        if (had == null) {
            had = publisher.platformDevicesOnLane(); // this is the lane that owns the ledger
        }
        DeviceManager to;
        synchronized (switching) {
            to = current;
            copyMissing(had, to);
            done(copy);
        }
        replaced.accept("Device manager changed to " + to.getClass().getName());
    }

    private void done(PendingCopy copy) {
        synchronized (switching) {
            pending.remove(copy);
            if (pending.isEmpty()) {
                changedMeanwhile.clear();
            }
        }
    }

    private void copyMissing(Collection<Device> had, DeviceManager to) {
        if (had == null || had.isEmpty()) {
            return;
        }
        try {
            Set<String> present = new HashSet<>();
            for (Device d : to.devices()) {
                present.add(d.id());
            }
            List<Device> missing = had.stream()
                    .filter(d -> !present.contains(d.id()) && !changedMeanwhile.contains(d.id())).toList();
            if (!missing.isEmpty()) {
                int copied = to.addAll(missing);
                LOG.log(INFO, "Handed {0} over to the new device manager {1}", Plural.of(copied, "device"),
                        to.getClass().getName());
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cannot hand the devices over to the new device manager " + to.getClass().getName(), e);
        }
    }

    private static Collection<Device> readOrNull(DeviceManager manager) {
        try {
            return manager.devices();
        } catch (RuntimeException e) {
            return null; // closed already: the hand-over takes the platform's list instead
        }
    }

    /** A manager replaced whose devices are still to be copied into the one in use. */
    private static final class PendingCopy {
        final DeviceManager from;
        /** Its devices, read before it went away; null to read them from it. */
        volatile Collection<Device> lastDevices;

        PendingCopy(DeviceManager from, Collection<Device> lastDevices) {
            this.from = from;
            this.lastDevices = lastDevices;
        }

        Optional<Device> find(String id) {
            Collection<Device> devices = lastDevices;
            if (devices != null) {
                return devices.stream().filter(d -> d.id().equals(id)).findFirst();
            }
            try {
                return from.get(id);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
