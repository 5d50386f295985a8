package org.sepl.connector.impl.sync;

import static java.lang.System.Logger.Level.DEBUG;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.impl.logging.Plural;
import org.sepl.connector.impl.request.RequestTracker;

/**
 * What the connection's lifecycle asks of the device side, in one place: hash the devices ahead of the first
 * synchronisation, synchronise a new or re-synchronising link, and attach the change publisher to the link once in
 * sync (or detach it when the link goes). It reads the device manager in use from the
 * {@link DeviceManagerHandOver}.
 */
public final class Synchronisation {

    private static final System.Logger LOG = System.getLogger(Synchronisation.class.getName());

    private final DeviceSynchroniser synchroniser;
    private final DeviceChangePublisher publisher;
    private final DeviceManagerHandOver managers;
    private final DeviceChanges changes;
    private final Executor readAheadLane;
    private final Function<DeviceManager, String> standingInFor;

    /**
     * @param standingInFor for a device manager, the name of the configured one it stands in for (which is away), or
     *                      null if it is the configured one (or none is configured)
     */
    public Synchronisation(DeviceSynchroniser synchroniser, DeviceChangePublisher publisher,
            DeviceManagerHandOver managers, DeviceChanges changes, Executor readAheadLane,
            Function<DeviceManager, String> standingInFor) {
        this.synchroniser = synchroniser;
        this.publisher = publisher;
        this.managers = managers;
        this.changes = changes;
        this.readAheadLane = readAheadLane;
        this.standingInFor = standingInFor;
    }

    /** Hashes the device manager's devices on the changes lane while the caller connects. */
    public CompletableFuture<DeviceSynchroniser.ReadAhead> readAhead() {
        return DeviceSynchroniser.readAhead(managers.current(), readAheadLane);
    }

    /**
     * Brings the platform in line with the device manager on this link, then publishes changes to it.
     *
     * @param readAhead the devices hashed while connecting, or null
     * @return null if in sync, else why not (the caller drops the link)
     */
    public String synchronise(RequestTracker.Channel channel, String platformHash,
            CompletableFuture<DeviceSynchroniser.ReadAhead> readAhead) throws InterruptedException {
        managers.awaitReplacements();
        DeviceManager manager = managers.current();
        DeviceSynchroniser.Outcome outcome = synchroniser.synchronise(channel, platformHash, manager,
                changes::count, changes.userRemovedDevices(), standingInFor.apply(manager), readAhead);
        if (!outcome.inSync()) {
            return outcome.error();
        }
        if (outcome.devicesSent() > 0 || outcome.ledger() == null) {
            changes.synchronised();
        }
        publisher.attach(channel, outcome.ledger(), outcome.committedHash());
        if (outcome.ledger() != null && outcome.devicesSent() == 0) {
            LOG.log(DEBUG, "In sync with the platform: {0}", Plural.of(outcome.ledger().size(), "device"));
        }
        return null;
    }

    /** @return the hash of the last commit the platform acknowledged (a re-synchronisation starts from it) */
    public String committedHash() throws InterruptedException {
        try {
            return publisher.committedHash().get();
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** The link is gone or re-synchronising: changes fail with {@code NOT_CONNECTED} until the next sync. */
    public void detach() {
        publisher.detach();
    }
}
