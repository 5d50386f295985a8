package org.sepl.connector.impl.sync;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.Protocol;
import org.sepl.connector.impl.wire.WireCodec;

/**
 * Publishes the device changes made while the client is ready ({@code put}, {@code disconnect}, {@code delete})
 * and commits the new gateway hash, at a flat cost per change:
 * <ul>
 * <li>the hash comes from the {@link DeviceLedger} of what the platform holds, updated by each acknowledged change
 * (the device manager is never re-read);</li>
 * <li>a burst of changes is committed once: the commit goes when no change is in flight any more, so the hash it
 * carries is exactly the list the platform holds at that point (changes the platform refused are not in it);</li>
 * <li>a long stream of changes is held back after {@value #MAX_WAITING_FOR_COMMIT} uncommitted ones, so commits
 * keep coming;</li>
 * <li>a lone change (nothing else in flight or waiting) is applied to the ledger as soon as it is sent, and the new
 * gateway hash computed while the change travels: the hash (O(n) by the protocol) overlaps the round trip instead of
 * following it. If the platform refuses the change it is undone; if other changes were sent meanwhile the ledger is
 * given up instead (an exact undo would have to untangle them) and the next change synchronises fully.</li>
 * </ul>
 * All its state is confined to one thread ({@code lane}); callers never wait for it. Each change's result is the
 * answer to the commit that covers it, or the platform's refusal of the change itself.
 * <p>
 * <b>Bound.</b> At most {@value #MAX_UNSENT} changes wait to be sent (queued for the lane, or held back for a
 * commit): while the lane is held up (a device manager that hangs during a hand-over, a commit that is not
 * answered) a change beyond that fails at once with {@code WINDOW_FULL}. It is in the device manager already; the
 * caller may send it again, and the next synchronisation publishes it anyway.
 */
public final class DeviceChangePublisher {

    static final int MAX_WAITING_FOR_COMMIT = 512;
    /** Changes waiting to be sent, at most: far more than a burst of a gateway's devices needs. */
    static final int MAX_UNSENT = 10_000;

    private final WireCodec codec;
    private final RequestTracker tracker;
    private final ExecutorService lane;
    private volatile Runnable resyncNeeded = () -> { };
    private final AtomicInteger unsent = new AtomicInteger();

    // confined to the lane
    private RequestTracker.Channel channel;
    private DeviceLedger ledger;
    private String committedHash;
    private long epoch;
    private int inFlight;
    private final List<Waiter> waitingForCommit = new ArrayList<>();

    /** A change the platform acknowledged, waiting for the commit that covers it. */
    private record Waiter(CompletableFuture<Response> result, Response changeAnswer) {
    }
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private boolean holding;
    private Speculation speculation;

    /** A lone change already applied to the ledger before its answer; what it replaced, to undo it if refused. */
    private static final class Speculation {
        final String deviceId;
        final Device before; // null: the device was not in the ledger
        int othersSent;

        Speculation(String deviceId, Device before) {
            this.deviceId = deviceId;
            this.before = before;
        }
    }

    public DeviceChangePublisher(WireCodec codec, RequestTracker tracker, ExecutorService lane) {
        this.codec = codec;
        this.tracker = tracker;
        this.lane = lane;
    }

    /** Who is asked for a full synchronisation when the platform's list is not known any more (a refused commit). */
    public void whenResyncNeeded(Runnable listener) {
        this.resyncNeeded = java.util.Objects.requireNonNull(listener, "listener must not be null");
    }

    /**
     * A link is in sync: changes go to it from now on.
     *
     * @param inSync what the platform holds, or null if unknown (then a change leads to a full synchronisation)
     */
    public void attach(RequestTracker.Channel ch, DeviceLedger inSync, String hash) {
        onLane(() -> {
            epoch++;
            channel = ch;
            ledger = inSync;
            committedHash = hash;
            inFlight = 0;
            speculation = null;
            releaseHeld();
        });
    }

    /** The link is gone or re-synchronising: changes fail with {@code NOT_CONNECTED} until the next attach. */
    public void detach() {
        onLane(() -> {
            epoch++;
            channel = null;
            ledger = null;
            inFlight = 0;
            speculation = null;
            holding = false;
            for (Waiter w : waitingForCommit) {
                w.result.completeExceptionally(new ConnectorException(Reason.CONNECTION_LOST,
                        "the link dropped before the change was committed; the next synchronisation publishes it"));
            }
            waitingForCommit.clear();
            releaseHeld();
        });
    }

    /**
     * @return copies of the devices the platform holds, as far as known (for a hand-over), or null; to be called on
     *         the lane, which owns the ledger
     */
    public List<Device> platformDevicesOnLane() {
        return ledger == null ? null : ledger.devices();
    }

    /** @return changes waiting to be sent (for tests of the bound) */
    int unsent() {
        return unsent.get();
    }

    /** @return the hash of the last commit the platform acknowledged (or the handshake's) */
    public CompletableFuture<String> committedHash() {
        CompletableFuture<String> out = new CompletableFuture<>();
        if (!onLane(() -> out.complete(committedHash))) {
            out.complete(null);
        }
        return out;
    }

    public CompletableFuture<Response> put(Device device, Duration timeout) {
        Device copy = new Device(device.id(), device.type(), device.name(), device.tags());
        return change(Protocol.PUT, copy.id(), token -> codec.put(token, copy), l -> l.put(copy), timeout);
    }

    public CompletableFuture<Response> disconnect(String deviceId, Duration timeout) {
        return change(Protocol.DISCONNECT, deviceId, token -> codec.request(Protocol.DISCONNECT, token, deviceId),
                l -> l.remove(deviceId), timeout);
    }

    public CompletableFuture<Response> delete(String deviceId, Duration timeout) {
        return change(Protocol.DELETE, deviceId, token -> codec.request(Protocol.DELETE, token, deviceId),
                l -> l.remove(deviceId), timeout);
    }

    private interface LedgerChange {
        void apply(DeviceLedger ledger);
    }

    private CompletableFuture<Response> change(String handler, String deviceId, Function<String, String> frame,
            LedgerChange effect, Duration timeout) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        if (unsent.incrementAndGet() > MAX_UNSENT) {
            unsent.decrementAndGet();
            result.completeExceptionally(new ConnectorException(Reason.WINDOW_FULL, "not sent: " + MAX_UNSENT
                    + " device changes already wait to be sent; the " + handler + " is applied to the device manager "
                    + "and the next synchronisation publishes it"));
            return result;
        }
        Runnable send = new Runnable() {
            @Override
            public void run() {
                if (holding) {
                    held.add(this);
                    return;
                }
                unsent.decrementAndGet();
                if (channel == null) {
                    result.completeExceptionally(new ConnectorException(Reason.NOT_CONNECTED, "not ready: the "
                            + handler + " is applied to the device manager; the next synchronisation publishes it"));
                    return;
                }
                long sentIn = epoch;
                inFlight++;
                if (speculation != null) {
                    speculation.othersSent++;
                }
                boolean lone = inFlight == 1 && waitingForCommit.isEmpty() && ledger != null;
                Speculation mine = lone ? new Speculation(deviceId, ledger.device(deviceId)) : null;
                // the answer is handled on the lane, so never before this task ends
                tracker.send(channel, handler, frame, timeout).whenComplete((answer, error) -> onLane(() -> {
                    if (sentIn != epoch) {
                        complete(result, answer, error); // that link is gone; the next sync reconciles
                        return;
                    }
                    inFlight--;
                    boolean applied = mine != null && speculation == mine;
                    if (applied) {
                        speculation = null;
                    }
                    if (error != null || !answer.isSuccess()) {
                        if (applied && ledger != null) {
                            undo(mine);
                        }
                        complete(result, answer, error);
                    } else {
                        if (!applied && ledger != null) {
                            effect.apply(ledger);
                        }
                        waitingForCommit.add(new Waiter(result, answer));
                        if (waitingForCommit.size() >= MAX_WAITING_FOR_COMMIT) {
                            holding = true;
                        }
                    }
                    commitWhenQuiet(timeout);
                }));
                if (mine != null) {
                    speculation = mine;
                    effect.apply(ledger);
                    ledger.gatewayHash(); // computed now, while the change travels; the commit finds it ready
                }
            }
        };
        if (!onLane(send)) {
            unsent.decrementAndGet();
            result.completeExceptionally(new ConnectorException(Reason.CLOSED, "client is closed"));
        }
        return result;
    }

    /** Commits the ledger's hash once nothing is in flight: then it is exactly the platform's list. */
    private void commitWhenQuiet(Duration timeout) {
        if (inFlight > 0 || waitingForCommit.isEmpty()) {
            return;
        }
        List<Waiter> covered = new ArrayList<>(waitingForCommit);
        waitingForCommit.clear();
        holding = false;
        if (ledger == null) {
            // the platform's list is not known (kept over an empty manager): a full synchronisation fixes it
            covered.forEach(w -> w.result.complete(w.changeAnswer));
            resyncNeeded.run();
            releaseHeld();
            return;
        }
        String hash = ledger.gatewayHash();
        long sentIn = epoch;
        tracker.send(channel, Protocol.COMMIT, token -> codec.request(Protocol.COMMIT, token, hash), timeout)
                .whenComplete((answer, error) -> onLane(() -> {
                    if (sentIn == epoch) {
                        if (error == null && answer.isSuccess()) {
                            committedHash = hash;
                        } else {
                            ledger = null;
                            resyncNeeded.run();
                        }
                    }
                    covered.forEach(w -> complete(w.result, answer, error));
                }));
        releaseHeld();
    }

    private void undo(Speculation refused) {
        if (refused.othersSent > 0) {
            ledger = null; // not known cheaply any more: the next change synchronises fully
        } else if (refused.before == null) {
            ledger.remove(refused.deviceId);
        } else {
            ledger.put(refused.before);
        }
    }

    private void releaseHeld() {
        while (!holding && !held.isEmpty()) {
            held.poll().run();
        }
    }

    private static void complete(CompletableFuture<Response> f, Response answer, Throwable error) {
        if (error != null) {
            f.completeExceptionally(error);
        } else {
            f.complete(answer);
        }
    }

    private boolean onLane(Runnable task) {
        try {
            lane.execute(Objects.requireNonNull(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
