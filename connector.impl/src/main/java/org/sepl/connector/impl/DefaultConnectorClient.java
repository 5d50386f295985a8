package org.sepl.connector.impl;

import static java.lang.System.Logger.Level.INFO;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.StandaloneConnectorClient;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.impl.command.CommandDispatcher;
import org.sepl.connector.impl.command.CommandReplies;
import org.sepl.connector.impl.command.CommandRouter;
import org.sepl.connector.impl.connection.ConnectionLifecycle;
import org.sepl.connector.impl.connection.ConnectionStatus;
import org.sepl.connector.impl.executor.ClientThreads;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.outbox.Deadlines;
import org.sepl.connector.impl.outbox.MessageSender;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.settings.ClientSettings;
import org.sepl.connector.impl.sync.DeviceChanges;
import org.sepl.connector.impl.wire.WireCodec;

/**
 * The connector client: the API facade over the parts {@link ClientAssembly} built and wired. It checks arguments,
 * encodes, and hands each call to the part whose job it is: events and command answers to the
 * {@link MessageSender} (one send path, with or without an outbox), device changes to {@link DeviceChanges},
 * commands to the {@link CommandDispatcher}, the connection's life to the {@link ConnectionLifecycle}. Callers'
 * stages complete on the callback lane ({@link UserCallbacks}); the blocking forms wait on the client's own stages.
 * See connector.impl/README.md for the threads.
 */
public final class DefaultConnectorClient implements StandaloneConnectorClient {

    private static final System.Logger LOG = System.getLogger(DefaultConnectorClient.class.getName());

    private final ClientSettings settings;
    private final WireCodec codec;
    private final ConnectionStatus status;
    private final ConnectionLifecycle lifecycle;
    private final RequestTracker tracker;
    private final CommandRouter router;
    private final CommandDispatcher dispatcher;
    /** Makes command answers, and answers a task the platform delivers again. */
    private final CommandReplies replies;
    private final MessageSender sender;
    private final DeviceChanges changes;
    private final UserCallbacks callers;
    private final Deadlines deadlines;
    private final ClientThreads threads;
    private final Runnable releaseOwned;
    private final Object startLock = new Object();
    private boolean started; // guarded by startLock

    /** The parts of one client, as {@link ClientAssembly} wired them. */
    record Parts(ClientSettings settings, WireCodec codec, ConnectionStatus status, ConnectionLifecycle lifecycle,
            RequestTracker tracker, CommandRouter router, CommandDispatcher dispatcher, CommandReplies replies,
            MessageSender sender,
            DeviceChanges changes, UserCallbacks callers, Deadlines deadlines, ClientThreads threads,
            Runnable releaseOwned) {
    }

    DefaultConnectorClient(Parts p) {
        this.settings = p.settings();
        this.codec = p.codec();
        this.status = p.status();
        this.lifecycle = p.lifecycle();
        this.tracker = p.tracker();
        this.router = p.router();
        this.dispatcher = p.dispatcher();
        this.replies = p.replies();
        this.sender = p.sender();
        this.changes = p.changes();
        this.callers = p.callers();
        this.deadlines = p.deadlines();
        this.threads = p.threads();
        this.releaseOwned = p.releaseOwned();
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    @Override
    public void start() {
        synchronized (startLock) {
            if (lifecycle.isClosed()) {
                throw new IllegalStateException("client is closed");
            }
            if (started) {
                return;
            }
            started = true;
        }
        // the handshake's answer is the first frame that needs the general JSON decoder: set it up meanwhile
        try {
            threads.changes.execute(codec::prepare);
        } catch (RejectedExecutionException e) {
            // closing
        }
        lifecycle.start();
    }

    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        checkTimeout(timeout);
        return status.awaitReady(timeout.toNanos());
    }

    @Override
    public void close() {
        if (lifecycle.isClosed() && threads.isClosed()) {
            return;
        }
        lifecycle.close();
        sender.close();
        deadlines.closeAll();
        threads.close();
        releaseOwned.run();
        LOG.log(INFO, "Closed the connection to {0}", settings.uri());
    }

    @Override
    public void addCommandHandler(CommandHandler handler, Map<String, ?> properties) {
        router.add(handler, properties);
    }

    @Override
    public void removeCommandHandler(CommandHandler handler) {
        router.remove(handler);
    }

    @Override
    public void addConnectionListener(ConnectionListener listener) {
        lifecycle.addListener(listener);
    }

    @Override
    public void removeConnectionListener(ConnectionListener listener) {
        lifecycle.removeListener(listener);
    }

    // ---- state --------------------------------------------------------------------------------------------------

    @Override
    public ConnectionState state() {
        return status.get().state();
    }

    @Override
    public String gatewayId() {
        return lifecycle.gatewayId();
    }

    @Override
    public Duration defaultTimeout() {
        return settings.requestTimeout();
    }

    @Override
    public ClientStatus status() {
        ConnectionStatus.Snapshot s = status.get();
        OutboxStatus outbox = outboxStatus();
        return new ClientStatus(s.state(), lifecycle.gatewayId(), tracker.inFlight(), dispatcher.unclaimedCount(),
                s.lastError(), s.since(), outbox, sender.ledger(outbox), sender.flow(), lifecycle.counts(),
                tracker.roundTrips());
    }

    private OutboxStatus outboxStatus() {
        try {
            return sender.status();
        } catch (RuntimeException e) {
            return null; // a closed or broken outbox: the status shows none rather than failing
        }
    }

    // ---- events and answers: one send path -------------------------------------------------------------------

    @Override
    public Delivery sendEvent(String deviceId, String serviceId, String data, String metadata) {
        return sender.send(codec.eventMessage(deviceId, serviceId, data, metadata));
    }

    @Override
    public CompletionStage<Response> eventAsync(String deviceId, String serviceId, String data, String metadata,
            Duration timeout) {
        checkTimeout(timeout);
        return deadlines.within(sender.sendForAnswer(codec.eventMessage(deviceId, serviceId, data, metadata)), timeout, "event");
    }

    /** Waits on the client's own stage: no hand-off to the callback lane. */
    @Override
    public Response event(String deviceId, String serviceId, String data, String metadata, Duration timeout)
            throws ConnectorException {
        checkTimeout(timeout);
        return awaitAnswer(sender.sendAwaited(codec.eventMessage(deviceId, serviceId, data, metadata)), timeout, "event");
    }

    @Override
    public Delivery sendResponse(Command command, String data, String metadata) {
        return sender.send(replies.answer(command, data, metadata));
    }

    @Override
    public CompletionStage<Response> respondAsync(Command command, String data, String metadata, Duration timeout) {
        checkTimeout(timeout);
        return deadlines.within(sender.sendForAnswer(replies.answer(command, data, metadata)), timeout,
                "response to task " + command.taskId());
    }

    @Override
    public Response respond(Command command, String data, String metadata) throws ConnectorException {
        return awaitAnswer(sender.sendAwaited(replies.answer(command, data, metadata)), defaultTimeout(),
                "response to task " + command.taskId());
    }

    private static Response awaitAnswer(CompletableFuture<Response> answer, Duration timeout, String what)
            throws ConnectorException {
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(Reason.INTERRUPTED, "interrupted while waiting", e);
        } catch (TimeoutException e) {
            throw new ConnectorException(Reason.TIMEOUT, "no answer to the " + what + " within " + timeout
                    + "; a stored message stays in the outbox and is still delivered", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectorException ce) {
                throw ce;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    @Override
    public Command receive() throws InterruptedException {
        return dispatcher.receive();
    }

    @Override
    public Optional<Command> receive(Duration timeout) throws InterruptedException {
        checkTimeout(timeout);
        return dispatcher.receive(timeout);
    }

    // ---- device changes -----------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Response> addAsync(Device device, Duration timeout) {
        checkTimeout(timeout);
        return callers.relay(changes.add(device, timeout));
    }

    @Override
    public CompletionStage<Response> updateAsync(Device device, Duration timeout) {
        checkTimeout(timeout);
        return callers.relay(changes.update(device, timeout));
    }

    @Override
    public CompletionStage<Response> disconnectAsync(String deviceId, Duration timeout) {
        checkTimeout(timeout);
        return callers.relay(changes.disconnect(deviceId, timeout));
    }

    @Override
    public CompletionStage<Response> deleteAsync(String deviceId, Duration timeout) {
        checkTimeout(timeout);
        return callers.relay(changes.delete(deviceId, timeout));
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    @Override
    public String toString() {
        return "DefaultConnectorClient[" + settings.account() + ", " + state() + "]";
    }
}
