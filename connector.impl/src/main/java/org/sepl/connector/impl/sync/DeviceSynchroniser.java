package org.sepl.connector.impl.sync;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.Response;
import org.sepl.connector.impl.logging.FrameText;
import org.sepl.connector.impl.logging.Plural;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.Protocol;
import org.sepl.connector.impl.wire.WireCodec;

/**
 * Brings the platform in line with the device manager after a handshake or a device-manager swap
 * (docs/PROTOCOL.md §6): if the hashes differ, {@code clear}, every device as a pipelined {@code put}, and a
 * {@code commit} of the new hash. Repeats while the client's own device changes arrived meanwhile.
 * <p>
 * <b>An empty device list is never committed over a non-empty platform list as a side effect</b>: a device manager
 * that is empty while the platform holds devices (a fallback store standing in for one that is starting or
 * stopping) leaves the platform as it is, unless the user removed devices through the client since the last sync
 * ({@code emptyAllowed}). <b>Nor is a stand-in's list</b>: while the device manager the configuration names is away
 * (its file damaged, its bundle not started), the one standing in may hold some of the devices only, and the
 * platform's list is kept as it is (unless it holds none) until the configured one comes.
 */
public final class DeviceSynchroniser {

    private static final System.Logger LOG = System.getLogger(DeviceSynchroniser.class.getName());
    private static final int MAX_ROUNDS = 5;
    private static final long PROGRESS_EVERY_NANOS = 3_000_000_000L;

    /** A device manager's devices as read ahead of a synchronisation, hashed into a ledger. */
    public record ReadAhead(DeviceManager manager, DeviceLedger ledger) {
    }

    /** The result: in sync with {@code ledger} (null when the platform's list was kept without knowing it). */
    public record Outcome(boolean inSync, DeviceLedger ledger, String committedHash, String error, int devicesSent) {
    }

    private final WireCodec codec;
    private final RequestTracker tracker;
    private final Duration timeout;

    public DeviceSynchroniser(WireCodec codec, RequestTracker tracker, Duration timeout) {
        this.codec = codec;
        this.tracker = tracker;
        this.timeout = timeout;
    }

    /**
     * Reads and hashes the device manager's devices on {@code executor}, so that the hashing (10,000 devices: about
     * 0.1 s in a fresh JVM) overlaps the connect and handshake instead of following them.
     */
    public static CompletableFuture<ReadAhead> readAhead(DeviceManager manager, Executor executor) {
        try {
            return CompletableFuture.supplyAsync(() -> new ReadAhead(manager, new DeviceLedger(manager.devices())),
                    executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null); // closing: the sync (if any) hashes them itself
        }
    }

    /**
     * The ledger read ahead, if it holds exactly {@code devices} of {@code manager} (the devices the synchronisation
     * read itself, after the handshake, as always); null if it does not, failed or is not there.
     */
    private static DeviceLedger readAheadFor(CompletableFuture<ReadAhead> readAhead, DeviceManager manager,
            Collection<Device> devices) throws InterruptedException {
        if (readAhead == null) {
            return null;
        }
        ReadAhead ahead;
        try {
            ahead = readAhead.get();
        } catch (ExecutionException e) {
            return null; // the device manager failed then: it is read again now
        }
        return ahead != null && ahead.manager() == manager && ahead.ledger().holdsExactly(devices) ? ahead.ledger()
                : null;
    }

    /**
     * @param platformHash  the hash the platform holds (from the handshake, or the last commit)
     * @param changeCounter counts the client's own device changes; one during a round triggers another
     * @param emptyAllowed  whether an empty device manager may replace a non-empty platform list
     * @param standingInFor the name of the configured device manager {@code manager} stands in for, or null if it is
     *                      the configured one (or none is configured)
     * @param readAhead     the ledger hashed while connecting ({@link #readAhead}), or null; the first round uses it
     *                      only if it holds exactly what the manager holds now
     */
    public Outcome synchronise(RequestTracker.Channel channel, String platformHash, DeviceManager manager,
            LongSupplier changeCounter, boolean emptyAllowed, String standingInFor,
            CompletableFuture<ReadAhead> readAhead)
            throws InterruptedException {
        String committed = platformHash;
        int sent = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            long changesBefore = changeCounter.getAsLong();
            Collection<Device> devices;
            DeviceLedger ledger;
            try {
                devices = manager.devices();
                ledger = round == 0 ? readAheadFor(readAhead, manager, devices) : null;
                if (ledger == null) {
                    ledger = new DeviceLedger(devices);
                }
            } catch (RuntimeException e) {
                LOG.log(WARNING, "Synchronisation failed: the device manager failed", e);
                return new Outcome(false, null, committed, "the device manager failed: " + e, sent);
            }
            String localHash = ledger.gatewayHash();
            if (localHash.equals(committed)) {
                if (changeCounter.getAsLong() == changesBefore) {
                    return new Outcome(true, ledger, committed, null, sent);
                }
                continue;
            }
            boolean platformHoldsDevices = committed != null && !committed.isEmpty()
                    && !committed.equals(Device.EMPTY_GATEWAY_HASH);
            if (devices.isEmpty() && !emptyAllowed && platformHoldsDevices) {
                LOG.log(WARNING, "The device manager {0} holds no devices while the platform holds this gateway''s "
                        + "devices: the platform''s list is kept (remove devices with delete/disconnect to empty it)",
                        manager.getClass().getName());
                return new Outcome(true, null, committed, null, sent);
            }
            if (standingInFor != null && platformHoldsDevices) {
                LOG.log(WARNING, "The device manager ''{0}'' (the configuration''s deviceManager) is not there; {1} "
                        + "stands in for events and commands only: the platform''s list of this gateway''s devices is "
                        + "kept as it is until ''{0}'' comes, and synchronised then", standingInFor,
                        manager.getClass().getName());
                return new Outcome(true, null, committed, null, sent);
            }
            try {
                sendAll(channel, devices, localHash);
            } catch (ConnectorException e) {
                LOG.log(WARNING, "Synchronisation failed: {0}", e.getMessage());
                return new Outcome(false, null, null, e.getMessage(), sent);
            } catch (RuntimeException e) {
                LOG.log(WARNING, "Synchronisation failed: the device manager failed", e);
                return new Outcome(false, null, null, "the device manager failed: " + e, sent);
            }
            sent += devices.size();
            committed = localHash;
            if (changeCounter.getAsLong() == changesBefore) {
                return new Outcome(true, ledger, committed, null, sent);
            }
        }
        return new Outcome(false, null, null, "the devices kept changing during " + MAX_ROUNDS + " synchronisations", sent);
    }

    private void sendAll(RequestTracker.Channel channel, Collection<Device> devices, String localHash)
            throws ConnectorException, InterruptedException {
        int total = devices.size();
        LOG.log(INFO, "Synchronising {0} with the platform", Plural.of(total, "device"));
        long start = System.nanoTime();
        expectOk(tracker.send(channel, Protocol.CLEAR, token -> codec.request(Protocol.CLEAR, token, null), timeout), "clear");
        List<CompletableFuture<Response>> puts = new ArrayList<>(total);
        long nextProgress = start + PROGRESS_EVERY_NANOS;
        for (Device device : devices) {
            puts.add(tracker.send(channel, Protocol.PUT, token -> codec.put(token, device), timeout));
            long now = System.nanoTime();
            if (now - nextProgress >= 0) {
                nextProgress = now + PROGRESS_EVERY_NANOS;
                LOG.log(INFO, "Synchronising: {0} of {1} sent ({2}/s)", Plural.of(puts.size(), "device"),
                        String.format("%,d", total), String.format("%,d", (long) (puts.size() / ((now - start) / 1e9))));
            }
        }
        int i = 0;
        for (Device device : devices) {
            expectOk(puts.get(i++), "put of device " + FrameText.quote(device.id()));
        }
        expectOk(tracker.send(channel, Protocol.COMMIT, token -> codec.request(Protocol.COMMIT, token, localHash), timeout), "commit");
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.log(INFO, "Synchronised {0} in {1} ms", Plural.of(total, "device"), millis);
    }

    private static void expectOk(CompletableFuture<Response> request, String what) throws ConnectorException, InterruptedException {
        Response answer;
        try {
            answer = request.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ConnectorException ce ? ce
                    : new ConnectorException(Reason.CONNECTION_LOST, what + " failed", e.getCause());
        }
        if (!answer.isSuccess()) {
            throw new ConnectorException(Reason.CONNECTION_LOST, what + " answered " + answer.status() + " "
                    + FrameText.quote(String.valueOf(answer.payload())));
        }
    }
}
