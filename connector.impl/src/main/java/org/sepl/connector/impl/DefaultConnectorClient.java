package org.sepl.connector.impl;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.sepl.connector.impl.executor.DaemonThreads;
import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.impl.command.CommandDispatcher;
import org.sepl.connector.impl.command.CommandRouter;
import org.sepl.connector.impl.connection.ConnectionLifecycle;
import org.sepl.connector.impl.connection.ConnectionStatus;
import org.sepl.connector.impl.connection.Handshake;
import org.sepl.connector.impl.connection.Link;
import org.sepl.connector.impl.executor.SchedulerView;
import org.sepl.connector.impl.executor.SerialExecutor;
import org.sepl.connector.impl.outbox.Deadlines;
import org.sepl.connector.impl.outbox.FrameTemplate;
import org.sepl.connector.impl.outbox.OutboxSender;
import org.sepl.connector.impl.ratelimit.TokenBucket;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.store.memory.InMemoryOutbox;
import org.sepl.connector.impl.sync.DeviceChangePublisher;
import org.sepl.connector.impl.sync.DeviceSynchroniser;
import org.sepl.connector.impl.transport.WebSocketTransport;
import org.sepl.connector.impl.wire.FrameReceiver;
import org.sepl.connector.impl.wire.Protocol;
import org.sepl.connector.impl.wire.WireCodec;

/**
 * The connector client: a thin facade that wires the parts together and implements {@link ConnectorClient}.
 * <ul>
 * <li>{@code connection}: {@link ConnectionLifecycle} (connect, handshake, sync, reconnect, keep-alive, close) and
 * the {@link ConnectionStatus} snapshot;</li>
 * <li>{@code request}: {@link RequestTracker} (tokens, window, deadlines, a lost link's requests);</li>
 * <li>{@code sync}: {@link DeviceSynchroniser} (full sync) and {@link DeviceChangePublisher} (runtime changes,
 * coalesced commits);</li>
 * <li>{@code command}: {@link CommandDispatcher} (ordered per device, stale and unclaimed commands);</li>
 * <li>{@code wire}: {@link WireCodec} and {@link FrameReceiver}; {@code transport}: the WebSocket.</li>
 * </ul>
 * Threads: the transport's I/O threads only decode and match; {@code control} runs connection steps; {@code timer}
 * deadlines, keep-alive and reconnect delays; {@code callbacks} completes callers' stages and calls listeners, in
 * order; {@code commands} runs handlers; {@code changes} publishes device changes (and hashes the device manager's
 * devices while {@code control} connects the first time). {@link #close()} ends them all.
 * With {@link ClientResources} the serial ones are lanes on threads shared with other clients (same order, one task
 * at a time each) and the timer a view of one shared timer; closing the client ends its lanes only.
 */
public final class DefaultConnectorClient implements ConnectorClient, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DefaultConnectorClient.class.getName());
    private static final int COMMAND_THREADS = 4;
    /** How often request deadlines are checked: one sweep is cheaper than a timer task per request. */
    static final long DEADLINE_SWEEP_MILLIS = 10;

    private final ClientSettings settings;
    private final WebSocketTransport transport;
    private final WireCodec codec = new WireCodec();
    private final CommandRouter router = new CommandRouter();
    private final ConnectionStatus status = new ConnectionStatus();
    private final ExecutorService control;
    private final ScheduledExecutorService timer;
    private final ExecutorService callbacks;
    private final ThreadPoolExecutor commands;
    private final ExecutorService changes;
    private final RequestTracker tracker;
    private final CommandDispatcher dispatcher;
    private final DeviceChangePublisher publisher;
    private final ConnectionLifecycle lifecycle;
    private final AtomicLong deviceChanges = new AtomicLong();
    private volatile boolean userRemovedDevices;
    private volatile DeviceManager deviceManager;
    private final OutboxSender sender;
    private final Deadlines deadlines = new Deadlines();
    private volatile boolean outboxEnabled = ClientSettings.OUTBOX_ENABLED_DEFAULT;
    private final Object startLock = new Object();
    private boolean started;

    /** Prefer {@link ConnectorClientBuilder}; this is for wiring (OSGi) that makes its own parts. */
    public DefaultConnectorClient(ClientSettings settings, GatewayIdStore gatewayIdStore, WebSocketTransport transport,
            DeviceManager deviceManager) {
        this(settings, gatewayIdStore, transport, deviceManager, null);
    }

    /**
     * @param resources threads shared with other clients (not closed by this client); null: threads of its own
     */
    DefaultConnectorClient(ClientSettings settings, GatewayIdStore gatewayIdStore, WebSocketTransport transport,
            DeviceManager deviceManager, ClientResources resources) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        Objects.requireNonNull(gatewayIdStore, "gatewayIdStore must not be null");
        this.transport = Objects.requireNonNull(transport, "transport must not be null");
        this.deviceManager = Objects.requireNonNull(deviceManager, "deviceManager must not be null");

        String name = settings.account();
        if (resources == null) {
            control = Executors.newSingleThreadExecutor(DaemonThreads.named("sepl-connector-control " + name));
            ScheduledThreadPoolExecutor ownTimer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("sepl-connector-timer " + name));
            ownTimer.setRemoveOnCancelPolicy(true);
            timer = ownTimer;
            callbacks = Executors.newSingleThreadExecutor(DaemonThreads.named("sepl-connector-callbacks " + name));
            changes = Executors.newSingleThreadExecutor(DaemonThreads.named("sepl-connector-changes " + name));
        } else {
            // the same lanes, serial each, on the shared threads
            control = new SerialExecutor(resources.lanes(), "sepl-connector-control " + name);
            timer = new SchedulerView(resources.timer(), "sepl-connector-timer " + name);
            callbacks = new SerialExecutor(resources.lanes(), "sepl-connector-callbacks " + name);
            changes = new SerialExecutor(resources.lanes(), "sepl-connector-changes " + name);
        }
        commands = new ThreadPoolExecutor(COMMAND_THREADS, COMMAND_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named("sepl-connector-commands " + name));
        commands.allowCoreThreadTimeOut(true);

        ConnectionLifecycle[] lifecycleRef = new ConnectionLifecycle[1];
        tracker = new RequestTracker(settings.maxRequestsInFlight(), callbacks, settings.requestTimeoutsBeforeReconnect(), (channel, why) -> lifecycleRef[0].unresponsive(channel, why));
        dispatcher = new CommandDispatcher(router, commands, new Answers(), settings.commandQueueSize(),
                settings.commandMaxAge(), settings.unclaimedCommandTimeout(), System::currentTimeMillis);
        dispatcher.deviceLookup(id -> this.deviceManager.get(id));
        publisher = new DeviceChangePublisher(codec, tracker, changes,
                () -> lifecycleRef[0].resynchronise("The platform's device list is not known"));
        FrameReceiver receiver = new FrameReceiver(codec, tracker, dispatcher);
        lifecycle = new ConnectionLifecycle(settings, transport, status, tracker,
                new Handshake(codec, tracker, gatewayIdStore, settings.user(), settings.password(), settings.requestTimeout()),
                new DeviceSynchroniser(codec, tracker, settings.requestTimeout()), publisher, () -> this.deviceManager,
                deviceChanges::get, () -> userRemovedDevices, () -> userRemovedDevices = false, receiver::onFrame,
                control, timer, callbacks, changes, gatewayIdStore.load());
        lifecycleRef[0] = lifecycle;
        sender = new OutboxSender(new InMemoryOutbox(), tracker, () -> {
            Link l = status.readyLink();
            return l == null ? null : l.channel();
        }, callbacks, timer, settings.requestTimeout(), settings.reconnectInitialDelay());
        lifecycle.addListener(new ConnectionListener() {
            @Override
            public void connected(String gatewayId) {
                sender.connected(); // replay after each synchronisation, in accepted order
            }

            @Override
            public void disconnected(String reason) {
            }
        });
        scheduleDeadlineSweeps();
    }

    /**
     * Checks deadlines from construction on, not only from {@link #start()}: an event handed over before start must
     * still time out for its caller (it stays stored and is delivered after start).
     */
    private void scheduleDeadlineSweeps() {
        timer.scheduleWithFixedDelay(() -> {
            tracker.sweep();
            sender.sweep();
            deadlines.sweep();
            dispatcher.expireUnclaimed();
        }, DEADLINE_SWEEP_MILLIS, DEADLINE_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts connecting; returns at once. The client then reconnects by itself until {@link #close()}. */
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
        // the handshake reply is the first frame that needs the general JSON decoder: set it up meanwhile
        try {
            callbacks.execute(codec::prepare);
        } catch (RejectedExecutionException e) {
            // closing
        }
        lifecycle.start();
    }

    // ---- configuration at runtime (OSGi whiteboard) --------------------------------------------------------

    /**
     * Switches to another device manager, handing the devices over: the devices the client had (those of the old
     * manager, or if it cannot be read any more, those the platform holds) that the new manager lacks are copied into
     * it first; devices the new manager already holds are kept as they are there. A ready client then
     * re-synchronises, which sends nothing when the lists agree. A closed (or closing) client does nothing.
     */
    public void setDeviceManager(DeviceManager manager) {
        Objects.requireNonNull(manager, "manager must not be null");
        DeviceManager old = deviceManager;
        if (old == manager || lifecycle.isClosed()) {
            deviceManager = manager;
            return;
        }
        handOver(old, manager);
        deviceManager = manager;
        if (!lifecycle.isClosed()) {
            lifecycle.resynchronise("Device manager changed to " + manager.getClass().getName());
        }
    }

    private void handOver(DeviceManager from, DeviceManager to) {
        Collection<Device> had;
        try {
            had = from.devices();
        } catch (RuntimeException e) {
            had = null;
        }
        if (had == null) {
            try {
                had = publisher.platformDevices().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                had = null;
            }
        }
        if (had == null || had.isEmpty()) {
            return;
        }
        try {
            Set<String> present = new HashSet<>();
            for (Device d : to.devices()) {
                present.add(d.id());
            }
            List<Device> missing = new ArrayList<>();
            for (Device d : had) {
                if (!present.contains(d.id())) {
                    missing.add(d);
                }
            }
            if (!missing.isEmpty()) {
                int copied = to.addAll(missing);
                LOG.log(INFO, "Handed {0} over to the new device manager {1}",
                        org.sepl.connector.impl.logging.Plural.of(copied, "device"), to.getClass().getName());
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cannot hand the devices over to the new device manager " + to.getClass().getName(), e);
        }
    }

    /**
     * Sends events and command answers through this outbox from now on ({@code null}: the client's own bounded
     * in-memory outbox, the default); see {@link OutboxSender#useOutbox} for what the old one's messages do. Also
     * enables the outbox if it was disabled.
     */
    public void setOutbox(Outbox outbox) {
        sender.useOutbox(outbox);
        outboxEnabled = true;
    }

    /**
     * Without an outbox, events and command answers are sent only while ready and otherwise fail at once with
     * {@code NOT_CONNECTED}; those in flight when the link drops fail with {@code CONNECTION_LOST} (the behaviour
     * before 1.2). What the outbox already holds stays there and is sent once it is enabled again.
     */
    public void setOutboxEnabled(boolean enabled) {
        outboxEnabled = enabled;
    }

    /**
     * Limits outgoing events to {@code averagePerSecond} on average with bursts of {@code burst} (Kura's
     * {@code rate.limit.average}/{@code rate.limit.burst}): events over the rate wait in the outbox, never dropped.
     * {@code averagePerSecond = 0} switches the limit off (the default). Needs the outbox.
     *
     * @throws IllegalArgumentException if {@code averagePerSecond} is negative or not finite, or {@code burst < 1}
     */
    public void setRateLimit(double averagePerSecond, int burst) {
        if (averagePerSecond == 0) {
            sender.rateLimit(null);
            return;
        }
        sender.rateLimit(new TokenBucket(averagePerSecond, burst));
    }

    /**
     * Hands the status to {@code watcher} every {@code period} on the client's timer (for service properties or
     * metrics), until the client is closed. The watcher must return quickly.
     */
    public void watchStatus(java.util.function.Consumer<ClientStatus> watcher, Duration period) {
        Objects.requireNonNull(watcher, "watcher must not be null");
        checkTimeout(period);
        try {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    watcher.accept(status());
                } catch (RuntimeException e) {
                    LOG.log(WARNING, "A status watcher failed", e);
                }
            }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    public void addCommandHandler(CommandHandler handler, Map<String, ?> properties) {
        router.add(handler, properties);
    }

    public void removeCommandHandler(CommandHandler handler) {
        router.remove(handler);
    }

    public void addConnectionListener(ConnectionListener listener) {
        lifecycle.addListener(listener);
    }

    public void removeConnectionListener(ConnectionListener listener) {
        lifecycle.removeListener(listener);
    }

    // ---- ConnectorClient ------------------------------------------------------------------------------------

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
        return new ClientStatus(s.state(), lifecycle.gatewayId(), tracker.inFlight(), dispatcher.unclaimedCount(),
                s.lastError(), s.since(), outboxEnabled ? outboxStatus() : null);
    }

    private OutboxStatus outboxStatus() {
        try {
            return sender.status();
        } catch (RuntimeException e) {
            return null; // a closed or broken outbox: the status shows none rather than failing
        }
    }

    /**
     * Waits until the client is {@link ConnectionState#READY} (connected and synchronised), for plain-Java callers
     * that want to send right after {@link #start()}. OSGi code should rather be a {@link ConnectionListener}.
     *
     * @return true if ready; false if the timeout passed or the client was closed first
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        checkTimeout(timeout);
        return status.awaitReady(timeout.toNanos());
    }

    @Override
    public CompletionStage<Response> eventAsync(String deviceId, String serviceId, String data, String metadata,
            Duration timeout) {
        checkTimeout(timeout);
        if (!outboxEnabled) {
            Objects.requireNonNull(deviceId, "deviceId must not be null");
            Objects.requireNonNull(serviceId, "serviceId must not be null");
            Link l = status.readyLink();
            if (l == null) {
                return notReady("event not sent");
            }
            return tracker.trySend(l.channel(), Protocol.EVENT,
                    token -> codec.event(token, deviceId, serviceId, data, metadata), timeout);
        }
        return deadlines.within(sendEvent(deviceId, serviceId, data, metadata).answered(), timeout, "event");
    }

    @Override
    public Delivery sendEvent(String deviceId, String serviceId, String data, String metadata) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        Objects.requireNonNull(serviceId, "serviceId must not be null");
        if (!outboxEnabled) {
            return direct(eventAsync(deviceId, serviceId, data, metadata, defaultTimeout()));
        }
        return sender.send(OutboxMessage.event(deviceId, serviceId,
                codec.event(FrameTemplate.PLACEHOLDER, deviceId, serviceId, data, metadata)));
    }

    @Override
    public Delivery sendResponse(Command command, String data, String metadata) {
        Objects.requireNonNull(command, "command must not be null");
        if (!outboxEnabled) {
            return direct(respondAsync(command, data, metadata, defaultTimeout()));
        }
        Map<String, Object> payload = command.answerPayload(data, metadata);
        return sender.send(OutboxMessage.response(command.deviceId(), command.serviceId(),
                codec.request(Protocol.RESPONSE, FrameTemplate.PLACEHOLDER, payload)));
    }

    /** Without an outbox: "stored" means sent (or failed like the answer when it could not be sent). */
    private static Delivery direct(CompletionStage<Response> answered) {
        CompletableFuture<Response> a = answered.toCompletableFuture();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        a.whenComplete((r, e) -> {
            if (e != null && !stored.isDone()) {
                stored.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            }
        });
        if (!a.isDone()) {
            stored.complete(null);
        } else if (!a.isCompletedExceptionally()) {
            stored.complete(null);
        }
        return new Delivery(stored, a);
    }

    @Override
    public Command receive() throws InterruptedException {
        return dispatcher.receive();
    }

    @Override
    public Optional<Command> receive(Duration timeout) throws InterruptedException {
        checkTimeout(timeout);
        return dispatcher.receive(timeout);
    }

    @Override
    public CompletionStage<Response> respondAsync(Command command, String data, String metadata, Duration timeout) {
        Objects.requireNonNull(command, "command must not be null");
        checkTimeout(timeout);
        if (!outboxEnabled) {
            Link l = status.readyLink();
            if (l == null) {
                return notReady("response to task " + command.taskId() + " not sent");
            }
            Map<String, Object> payload = command.answerPayload(data, metadata);
            return tracker.trySend(l.channel(), Protocol.RESPONSE,
                    token -> codec.request(Protocol.RESPONSE, token, payload), timeout);
        }
        return deadlines.within(sendResponse(command, data, metadata).answered(), timeout,
                "response to task " + command.taskId());
    }

    @Override
    public CompletionStage<Response> addAsync(Device device, Duration timeout) {
        Objects.requireNonNull(device, "device must not be null");
        checkTimeout(timeout);
        DeviceManager manager = deviceManager;
        if (!manager.add(device)) {
            manager.update(device);
        }
        return publish(() -> publisher.put(device, timeout));
    }

    @Override
    public CompletionStage<Response> updateAsync(Device device, Duration timeout) {
        Objects.requireNonNull(device, "device must not be null");
        checkTimeout(timeout);
        if (!deviceManager.update(device)) {
            throw new IllegalArgumentException("device '" + device.id() + "' is not in the device manager: add it first");
        }
        return publish(() -> publisher.put(device, timeout));
    }

    @Override
    public CompletionStage<Response> disconnectAsync(String deviceId, Duration timeout) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        checkTimeout(timeout);
        deviceManager.remove(deviceId);
        userRemovedDevices = true;
        return publish(() -> publisher.disconnect(deviceId, timeout));
    }

    @Override
    public CompletionStage<Response> deleteAsync(String deviceId, Duration timeout) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        checkTimeout(timeout);
        deviceManager.remove(deviceId);
        userRemovedDevices = true;
        return publish(() -> publisher.delete(deviceId, timeout));
    }

    private CompletionStage<Response> publish(java.util.function.Supplier<CompletableFuture<Response>> change) {
        deviceChanges.incrementAndGet();
        if (lifecycle.isClosed()) {
            return CompletableFuture.failedFuture(new ConnectorException(Reason.CLOSED,
                    "client is closed: the device change is applied to the device manager only"));
        }
        if (status.readyLink() == null) {
            // the synchronisation compares the device manager with the platform: the change is not lost
            return CompletableFuture.failedFuture(new ConnectorException(Reason.NOT_CONNECTED, "not connected to the "
                    + "platform (" + state() + "): device change applied to the device manager; the synchronisation "
                    + "in progress or at the next connect publishes it"));
        }
        return change.get();
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Events and answers without an outbox while not ready: they fail at once. */
    private CompletionStage<Response> notReady(String what) {
        return CompletableFuture.failedFuture(lifecycle.isClosed()
                ? new ConnectorException(Reason.CLOSED, "client is closed: " + what)
                : new ConnectorException(Reason.NOT_CONNECTED, "not connected to the platform (" + state() + "): " + what));
    }

    /** Handler results and error answers go back as responses; failures to deliver them are logged. */
    private final class Answers implements CommandDispatcher.Answers {
        @Override
        public void result(Command command, CommandResult result) {
            send(command, result.data(), result.metadata());
        }

        @Override
        public void error(Command command, String why) {
            send(command, null, codec.errorDocument(why));
        }

        private void send(Command command, String data, String metadata) {
            respondAsync(command, data, metadata).whenComplete((answer, error) -> {
                if (error != null) {
                    LOG.log(WARNING, "Answer to {0} not delivered: {1}", command, rootMessage(error));
                } else if (!answer.isSuccess()) {
                    LOG.log(WARNING, "The platform refused the answer to {0}: {1} {2}", command, answer.status(),
                            org.sepl.connector.impl.logging.FrameText.quote(String.valueOf(answer.payload())));
                }
            });
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && !(c instanceof ConnectorException)) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    /**
     * Closes the connection with code 1000 (first, so that nothing reaches the platform after this call starts),
     * fails pending requests with {@code CLOSED}, tells the listeners, and ends every thread of this client.
     * Idempotent.
     */
    @Override
    public void close() {
        if (lifecycle.isClosed() && control.isShutdown()) {
            return;
        }
        lifecycle.close();
        sender.close();
        deadlines.closeAll();
        control.shutdownNow();
        timer.shutdownNow();
        commands.shutdownNow();
        changes.shutdown();
        callbacks.shutdown();
        try {
            for (ExecutorService e : List.of(control, timer, commands, changes, callbacks)) {
                if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.log(WARNING, "A client thread did not stop within 5 s: {0}", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.shutdown();
        LOG.log(INFO, "Closed the connection to {0}", settings.uri());
    }
}
