package org.sepl.connector.impl;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.Response;
import org.sepl.connector.impl.WireCodec.CommandFrame;
import org.sepl.connector.impl.WireCodec.Incoming;
import org.sepl.connector.impl.WireCodec.MalformedFrameException;
import org.sepl.connector.impl.WireCodec.ResponseFrame;
import org.sepl.connector.impl.transport.WebSocketTransport;

/**
 * The connector client: one WebSocket to the platform, kept open and in sync (PROTOCOL.md).
 *
 * <h2>Threads</h2>
 * <ul>
 * <li>the transport's I/O threads only decode frames, match responses to requests and hand everything else on;</li>
 * <li>{@code control}: connect, handshake and synchronisation, one step at a time (it may block on answers);</li>
 * <li>{@code timer}: request timeouts, keep-alive, reconnect delays;</li>
 * <li>{@code callbacks}: completes the callers' stages and calls connection listeners, in order;</li>
 * <li>{@code commands}: runs command handlers (bounded queue).</li>
 * </ul>
 * Every thread is ended by {@link #close()}.
 */
public final class DefaultConnectorClient implements ConnectorClient, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DefaultConnectorClient.class.getName());
    private static final int COMMAND_THREADS = 4;
    private static final int MAX_SYNC_ROUNDS = 5;
    /**
     * How often request deadlines are checked. One sweep instead of a timer task per request: scheduling and
     * cancelling a task per request costs more than the rest of an event's way through the client.
     */
    static final long DEADLINE_SWEEP_MILLIS = 10;

    private final ClientSettings settings;
    private final GatewayIdStore gatewayIdStore;
    private final WebSocketTransport transport;
    private final WireCodec codec = new WireCodec();
    private final CommandRouter router = new CommandRouter();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Backoff backoff;

    private final ExecutorService control;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService callbacks;
    private final ThreadPoolExecutor commands;

    private final Semaphore window;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final String tokenPrefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
    private final AtomicLong tokenCounter = new AtomicLong();
    private final BlockingQueue<Command> received;

    private final Object lifecycle = new Object();
    private volatile boolean started;
    private volatile boolean closed;
    private volatile DeviceManager deviceManager;
    private volatile Link link;
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile Instant stateSince = Instant.now();
    private volatile String lastError;
    private volatile String gatewayId;
    private volatile OfflineSends offlineSends = OfflineSends.FAIL_FAST;

    /** Prefer {@link ConnectorClientBuilder}; this is for wiring (OSGi) that makes its own parts. */
    public DefaultConnectorClient(ClientSettings settings, GatewayIdStore gatewayIdStore, WebSocketTransport transport,
            DeviceManager deviceManager) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.gatewayIdStore = Objects.requireNonNull(gatewayIdStore, "gatewayIdStore must not be null");
        this.transport = Objects.requireNonNull(transport, "transport must not be null");
        this.deviceManager = Objects.requireNonNull(deviceManager, "deviceManager must not be null");
        this.backoff = new Backoff(settings.reconnectInitialDelay(), settings.reconnectMaxDelay());
        this.window = new Semaphore(settings.maxRequestsInFlight());
        this.received = new ArrayBlockingQueue<>(settings.commandQueueSize());
        this.gatewayId = gatewayIdStore.load();

        String name = settings.user() + "@" + settings.host() + ":" + settings.port();
        control = Executors.newSingleThreadExecutor(threads("sepl-connector-control " + name));
        timer = new ScheduledThreadPoolExecutor(1, threads("sepl-connector-timer " + name));
        timer.setRemoveOnCancelPolicy(true);
        callbacks = Executors.newSingleThreadExecutor(threads("sepl-connector-callbacks " + name));
        commands = new ThreadPoolExecutor(COMMAND_THREADS, COMMAND_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.commandQueueSize()), threads("sepl-connector-commands " + name));
        commands.allowCoreThreadTimeOut(true);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + " #" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts connecting; returns at once. The client then reconnects by itself until {@link #close()}. */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("client is closed");
            }
            if (started) {
                return;
            }
            started = true;
        }
        long period = Math.max(50, Math.min(settings.keepAliveInterval().toMillis(), settings.keepAliveTimeout().toMillis()) / 4);
        timer.scheduleWithFixedDelay(this::keepAlive, period, period, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::expireOverdue, DEADLINE_SWEEP_MILLIS, DEADLINE_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        control.execute(this::connect);
    }

    // ---- configuration at runtime (OSGi whiteboard) --------------------------------------------------------

    /** Switches to another device manager; a connected client re-synchronises with it. */
    public void setDeviceManager(DeviceManager manager) {
        deviceManager = Objects.requireNonNull(manager, "manager must not be null");
        if (state == ConnectionState.READY) {
            runControl(this::resynchronise);
        }
    }

    /** Where events and command answers go while the client is not ready; default {@link OfflineSends#FAIL_FAST}. */
    public void setOfflineSends(OfflineSends policy) {
        offlineSends = Objects.requireNonNull(policy, "policy must not be null");
    }

    public void addCommandHandler(CommandHandler handler, Map<String, ?> properties) {
        router.add(handler, properties);
    }

    public void removeCommandHandler(CommandHandler handler) {
        router.remove(handler);
    }

    public void addConnectionListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        if (state == ConnectionState.READY) {
            String gid = gatewayId;
            runCallback(() -> listener.connected(gid));
        }
    }

    public void removeConnectionListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    // ---- ConnectorClient ------------------------------------------------------------------------------------

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public Duration defaultTimeout() {
        return settings.requestTimeout();
    }

    @Override
    public ClientStatus status() {
        return new ClientStatus(state, gatewayId, settings.maxRequestsInFlight() - window.availablePermits(),
                received.size(), lastError, stateSince);
    }

    @Override
    public CompletionStage<Response> eventAsync(String deviceId, String serviceId, String data, String metadata,
            Duration timeout) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        Objects.requireNonNull(serviceId, "serviceId must not be null");
        checkTimeout(timeout);
        Link l = readyLink();
        if (l == null) {
            return offline(new OfflineSends.Message(deviceId, serviceId, null, data, metadata, timeout), "event not sent");
        }
        return send(l, Protocol.EVENT, token -> codec.event(token, deviceId, serviceId, data, metadata), timeout);
    }

    @Override
    public Command receive() throws InterruptedException {
        return received.take();
    }

    @Override
    public Optional<Command> receive(Duration timeout) throws InterruptedException {
        checkTimeout(timeout);
        return Optional.ofNullable(received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public CompletionStage<Response> respondAsync(Command command, String data, String metadata, Duration timeout) {
        Objects.requireNonNull(command, "command must not be null");
        checkTimeout(timeout);
        Link l = readyLink();
        if (l == null) {
            return offline(new OfflineSends.Message(command.deviceId(), command.serviceId(), command, data, metadata, timeout),
                    "response to task " + command.taskId() + " not sent");
        }
        Map<String, Object> payload = command.answerPayload(data, metadata);
        return send(l, Protocol.RESPONSE, token -> codec.request(Protocol.RESPONSE, token, payload), timeout);
    }

    @Override
    public CompletionStage<Response> addAsync(Device device, Duration timeout) {
        Objects.requireNonNull(device, "device must not be null");
        checkTimeout(timeout);
        DeviceManager manager = deviceManager;
        if (!manager.add(device)) {
            manager.update(device);
        }
        return publish(Protocol.PUT, token -> codec.put(token, device), timeout);
    }

    @Override
    public CompletionStage<Response> updateAsync(Device device, Duration timeout) {
        Objects.requireNonNull(device, "device must not be null");
        checkTimeout(timeout);
        if (!deviceManager.update(device)) {
            throw new IllegalArgumentException("device '" + device.id() + "' is not in the device manager: add it first");
        }
        return publish(Protocol.PUT, token -> codec.put(token, device), timeout);
    }

    @Override
    public CompletionStage<Response> disconnectAsync(String deviceId, Duration timeout) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        checkTimeout(timeout);
        deviceManager.remove(deviceId);
        return publish(Protocol.DISCONNECT, token -> codec.request(Protocol.DISCONNECT, token, deviceId), timeout);
    }

    @Override
    public CompletionStage<Response> deleteAsync(String deviceId, Duration timeout) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        checkTimeout(timeout);
        deviceManager.remove(deviceId);
        return publish(Protocol.DELETE, token -> codec.request(Protocol.DELETE, token, deviceId), timeout);
    }

    /** Sends a device change, then, if the platform took it, a commit of the new gateway hash. */
    private CompletionStage<Response> publish(String handler, Function<String, String> frame, Duration timeout) {
        Link l = readyLink();
        if (l == null) {
            // the synchronisation re-reads the device manager until the hashes agree: the change is not lost
            return notReady("device change applied to the device manager; the synchronisation in progress or at the "
                    + "next connect publishes it");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        return send(l, handler, frame, timeout).thenCompose(answer -> {
            long left = deadline - System.nanoTime();
            if (!answer.isSuccess()) {
                return CompletableFuture.completedFuture(answer);
            }
            if (left <= 0) {
                return failed(Reason.TIMEOUT, "no time left to commit the " + handler + " within " + timeout);
            }
            String hash = Device.gatewayHash(deviceManager.devices());
            return send(l, Protocol.COMMIT, token -> codec.request(Protocol.COMMIT, token, hash), Duration.ofNanos(left));
        });
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    private Link readyLink() {
        Link l = link;
        return l != null && state == ConnectionState.READY ? l : null;
    }

    /** Events and answers that cannot go now: the {@link OfflineSends} policy decides (by default: fail fast). */
    private CompletionStage<Response> offline(OfflineSends.Message message, String what) {
        ConnectorException notReady = closed ? new ConnectorException(Reason.CLOSED, "client is closed: " + what)
                : new ConnectorException(Reason.NOT_CONNECTED, "not connected to the platform (" + state + "): " + what);
        return Objects.requireNonNull(offlineSends.whileNotReady(message, notReady), "OfflineSends returned null");
    }

    private <T> CompletableFuture<T> notReady(String what) {
        if (closed) {
            return failed(Reason.CLOSED, "client is closed: " + what);
        }
        return failed(Reason.NOT_CONNECTED, "not connected to the platform (" + state + "): " + what);
    }

    private static <T> CompletableFuture<T> failed(Reason reason, String message) {
        return CompletableFuture.failedFuture(new ConnectorException(reason, message));
    }

    // ---- requests -------------------------------------------------------------------------------------------

    /** A request sent and not yet answered. */
    private static final class Pending {
        final CompletableFuture<Response> result = new CompletableFuture<>();
        final Link link;
        final String handler;
        final boolean holdsPermit;
        final Duration timeout;
        final long deadline;

        Pending(Link link, String handler, boolean holdsPermit, Duration timeout) {
            this.link = link;
            this.handler = handler;
            this.holdsPermit = holdsPermit;
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
        }
    }

    /**
     * Sends a request on {@code l}, waiting in the calling thread for a slot of the window if it is full.
     *
     * @param frame builds the frame for the request's token
     */
    private CompletableFuture<Response> send(Link l, String handler, Function<String, String> frame, Duration timeout) {
        if (!window.tryAcquire()) {
            try {
                if (!window.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    return failed(Reason.TIMEOUT, "no free request slot within " + timeout + " ("
                            + settings.maxRequestsInFlight() + " requests in flight)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(Reason.INTERRUPTED, "interrupted while waiting for a free request slot");
            }
        }
        String token = tokenPrefix + tokenCounter.incrementAndGet();
        Pending p = new Pending(l, handler, true, timeout);
        pending.put(token, p);
        if (closed) {
            fail(token, Reason.CLOSED, "client is closed");
            return p.result;
        }
        if (link != l) {
            // the link was lost while this request was being registered: linkLost may have missed it
            fail(token, Reason.CONNECTION_LOST, "connection lost before the " + handler + " was sent");
            return p.result;
        }
        l.connection.send(frame.apply(token),
                error -> fail(token, Reason.CONNECTION_LOST, "could not send the " + handler + ": " + error));
        return p.result;
    }

    /** Fails the requests whose deadline passed (timer thread, every {@value #DEADLINE_SWEEP_MILLIS} ms). */
    private void expireOverdue() {
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (now - p.deadline >= 0) {
                fail(e.getKey(), Reason.TIMEOUT, "no answer to the " + p.handler + " within " + p.timeout);
            }
        }
    }

    private void fail(String token, Reason reason, String message) {
        Pending p = pending.remove(token);
        if (p != null) {
            settle(p, null, new ConnectorException(reason, message));
        }
    }

    /** Completes a request exactly once (callers removed it from {@link #pending}), off the I/O thread. */
    private void settle(Pending p, Response response, Throwable error) {
        if (p.holdsPermit) {
            window.release();
        }
        Runnable completion = error == null ? () -> p.result.complete(response) : () -> p.result.completeExceptionally(error);
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // closing: nobody else will complete it
        }
    }

    // ---- frames from the platform (I/O thread) --------------------------------------------------------------

    private void onFrame(String text) {
        Incoming incoming;
        try {
            incoming = codec.decode(text);
        } catch (MalformedFrameException e) {
            LOG.log(WARNING, "Ignoring a malformed frame from the platform ({0}): {1}", e.getMessage(), abbreviate(text));
            return;
        }
        if (incoming instanceof ResponseFrame r) {
            Pending p = pending.remove(r.token());
            if (p != null) {
                settle(p, new Response(r.status(), r.contentType(), r.payload()), null);
            } else if (r.status() != 200) {
                LOG.log(WARNING, "The platform reported an error for no pending request (token ''{0}''): {1} {2}",
                        r.token(), r.status(), r.payload());
            } else {
                LOG.log(DEBUG, "Answer to an expired or unknown request {0} ignored", r.token());
            }
        } else if (incoming instanceof CommandFrame c) {
            try {
                commands.execute(() -> dispatch(c.command()));
            } catch (RejectedExecutionException e) {
                LOG.log(WARNING, "Command queue full ({0}): dropped {1}", settings.commandQueueSize(), c.command());
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…(" + text.length() + " chars)";
    }

    // ---- commands -------------------------------------------------------------------------------------------

    private void dispatch(Command command) {
        DeviceManager manager = deviceManager;
        Optional<CommandHandler> handler = router.select(command, manager::get);
        if (handler.isEmpty()) {
            while (!received.offer(command)) {
                Command dropped = received.poll();
                if (dropped != null) {
                    LOG.log(WARNING, "receive() queue full ({0} commands): dropped the oldest, {1}",
                            settings.commandQueueSize(), dropped);
                }
            }
            return;
        }
        CommandResult result;
        try {
            result = handler.get().handle(command);
        } catch (Exception | LinkageError e) {
            LOG.log(WARNING, "Command handler " + handler.get().getClass().getName() + " failed on " + command, e);
            result = new CommandResult(null, codec.errorDocument(String.valueOf(e.getMessage())));
        }
        if (result != null) {
            respondAsync(command, result.data(), result.metadata()).whenComplete((answer, error) -> {
                if (error != null) {
                    LOG.log(WARNING, "Answer to {0} not delivered: {1}", command, rootMessage(error));
                } else if (!answer.isSuccess()) {
                    LOG.log(WARNING, "The platform refused the answer to {0}: {1} {2}", command, answer.status(),
                            answer.payload());
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

    // ---- connection life cycle (control thread) -------------------------------------------------------------

    /** One WebSocket connection; callbacks from an old one are ignored. */
    private final class Link implements WebSocketTransport.Listener {
        volatile WebSocketTransport.Connection connection;
        volatile long lastReceived = System.nanoTime();
        volatile long pingSent;
        volatile boolean gone;
        volatile boolean handshaken;

        @Override
        public void onText(String text) {
            lastReceived = System.nanoTime();
            onFrame(text);
        }

        @Override
        public void onPong() {
            lastReceived = System.nanoTime();
            pingSent = 0;
        }

        @Override
        public void onClosed(int code, String reason) {
            gone = true;
            linkLost(this, "connection closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        setState(ConnectionState.CONNECTING);
        Link l = new Link();
        try {
            l.connection = transport.connect(settings.uri(), l, settings.requestTimeout());
        } catch (IOException | RuntimeException e) {
            lastError = e.getMessage();
            LOG.log(WARNING, "Cannot connect to {0}: {1}", settings.uri(), e.getMessage());
            setState(ConnectionState.DISCONNECTED);
            scheduleReconnect();
            return;
        }
        synchronized (lifecycle) {
            if (closed) {
                l.connection.close(1000, "client closed");
                return;
            }
            link = l;
        }
        if (l.gone) {
            linkLost(l, "connection closed during the handshake");
            return;
        }
        String gid = handshake(l);
        if (gid == null) {
            return;
        }
        setState(ConnectionState.SYNCHRONISING);
        if (!synchronise(l, platformHashOfHandshake)) {
            return;
        }
        synchronized (lifecycle) {
            if (link != l) {
                return;
            }
            setState(ConnectionState.READY);
            // queued under the lock: a loss of this link (linkLost takes the lock) queues its "disconnected" after
            for (ConnectionListener listener : listeners) {
                runCallback(() -> listener.connected(gid));
            }
        }
        backoff.reset();
        LOG.log(INFO, "Ready: gateway {0} synchronised with {1}", gid, settings.uri());
    }

    /** Set by {@link #handshake}, read by the same (control) thread. */
    private String platformHashOfHandshake;

    /** @return the gateway id, or null if the handshake failed (the link is then dropped) */
    private String handshake(Link l) {
        String storedId = gatewayIdStore.load();
        Pending hs = new Pending(l, "handshake", false, settings.requestTimeout());
        pending.put(Protocol.CREDENTIALS_TOKEN, hs);
        if (closed) {
            return null;
        }
        l.connection.send(codec.credentials(settings.user(), settings.password(), storedId),
                error -> fail(Protocol.CREDENTIALS_TOKEN, Reason.CONNECTION_LOST, "could not send the credentials"));
        Response answer;
        try {
            answer = hs.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            ConnectorException ce = (ConnectorException) e.getCause();
            String why = ce.reason() == Reason.CONNECTION_LOST
                    ? "the platform closed the connection without answering (wrong user or password?)"
                    : ce.getMessage();
            handshakeFailed(l, why);
            return null;
        }
        if (!answer.isSuccess() || !(answer.payload() instanceof Map<?, ?> payload) || !(payload.get("gid") instanceof String gid)
                || gid.isEmpty()) {
            handshakeFailed(l, "unexpected handshake answer " + answer);
            return null;
        }
        Object hash = payload.get("hash");
        platformHashOfHandshake = hash == null ? "" : hash.toString();
        if (!gid.equals(storedId)) {
            try {
                gatewayIdStore.save(gid);
            } catch (UncheckedIOException e) {
                LOG.log(ERROR, "Cannot persist the gateway id; the platform will create a new gateway at the next connect", e);
            }
            LOG.log(INFO, "The platform assigned gateway id {0}", gid);
        }
        gatewayId = gid;
        l.handshaken = true;
        return gid;
    }

    private void handshakeFailed(Link l, String why) {
        LOG.log(WARNING, "Handshake with {0} as user ''{1}'' failed: {2}", settings.uri(), settings.user(), why);
        dropLink(l, "handshake failed: " + why);
        lastError = "handshake failed: " + why; // also when the link was already gone (the platform dropped it)
    }

    /**
     * Brings the platform in line with the device manager (PROTOCOL.md §6): if the hashes differ, {@code clear},
     * every device {@code put} (pipelined), {@code commit}. Repeats if the devices changed meanwhile.
     *
     * @return true if in sync; false if it failed (the link is then dropped)
     */
    private boolean synchronise(Link l, String platformHash) {
        String committed = platformHash;
        for (int round = 0; round < MAX_SYNC_ROUNDS; round++) {
            Collection<Device> devices;
            String localHash;
            try {
                devices = deviceManager.devices();
                localHash = Device.gatewayHash(devices);
            } catch (RuntimeException e) {
                return deviceManagerFailed(l, e);
            }
            if (localHash.equals(committed)) {
                return true;
            }
            LOG.log(INFO, "Synchronising {0} devices with the platform", devices.size());
            Duration timeout = settings.requestTimeout();
            try {
                expectOk(send(l, Protocol.CLEAR, token -> codec.request(Protocol.CLEAR, token, null), timeout), "clear");
                List<CompletableFuture<Response>> puts = new ArrayList<>(devices.size());
                for (Device device : devices) {
                    puts.add(send(l, Protocol.PUT, token -> codec.put(token, device), timeout));
                }
                int i = 0;
                for (Device device : devices) {
                    expectOk(puts.get(i++), "put of device '" + device.id() + "'");
                }
                expectOk(send(l, Protocol.COMMIT, token -> codec.request(Protocol.COMMIT, token, localHash), timeout), "commit");
            } catch (ConnectorException e) {
                lastError = "synchronisation failed: " + e.getMessage();
                LOG.log(WARNING, "Synchronisation with {0} failed: {1}", settings.uri(), e.getMessage());
                dropLink(l, lastError);
                return false;
            } catch (RuntimeException e) {
                return deviceManagerFailed(l, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            committed = localHash;
        }
        lastError = "the devices kept changing during " + MAX_SYNC_ROUNDS + " synchronisations";
        dropLink(l, lastError);
        return false;
    }

    /** A device manager that throws (a store closed or broken): drop the link and retry later, never hang. */
    private boolean deviceManagerFailed(Link l, RuntimeException e) {
        lastError = "synchronisation failed: the device manager failed: " + e;
        LOG.log(WARNING, "Synchronisation with " + settings.uri() + " failed: the device manager failed", e);
        dropLink(l, lastError);
        return false;
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
            throw new ConnectorException(Reason.CONNECTION_LOST, what + " answered " + answer.status() + " " + answer.payload());
        }
    }

    private void resynchronise() {
        Link l = link;
        if (l == null || state != ConnectionState.READY) {
            return;
        }
        setState(ConnectionState.SYNCHRONISING);
        LOG.log(INFO, "Device manager changed: re-synchronising");
        // Whatever the platform holds came from the old manager: compare against nothing, so that it is replaced.
        if (synchronise(l, null)) {
            synchronized (lifecycle) {
                if (link == l) {
                    setState(ConnectionState.READY);
                }
            }
        }
    }

    private void keepAlive() {
        Link l = link;
        if (l == null || l.connection == null) {
            return;
        }
        long now = System.nanoTime();
        long sent = l.pingSent;
        if (sent != 0) {
            if (now - sent > settings.keepAliveTimeout().toNanos()) {
                lastError = "no pong within " + settings.keepAliveTimeout();
                LOG.log(WARNING, "Connection to {0} is dead ({1}): dropping it", settings.uri(), lastError);
                dropLink(l, lastError);
            }
        } else if (now - l.lastReceived > settings.keepAliveInterval().toNanos()) {
            l.pingSent = now;
            l.connection.ping();
        }
    }

    /** Gives up a link from our side (failed handshake or sync, dead connection). */
    private void dropLink(Link l, String reason) {
        linkLost(l, reason); // first, so that the close's own callback is ignored and the reason kept
        l.connection.close(1001, "going away");
    }

    /** The link is gone: fail its requests, tell listeners, schedule a reconnect. Once per link. */
    private void linkLost(Link l, String lostReason) {
        // closed before answering the credentials: how the platform refuses a user or password
        String reason = l.handshaken || lostReason.startsWith("handshake failed") ? lostReason
                : "handshake failed: the platform closed the connection without answering (wrong user or password?): "
                        + lostReason;
        boolean wasReady;
        synchronized (lifecycle) {
            if (link != l) {
                return;
            }
            link = null;
            wasReady = state == ConnectionState.READY;
            if (!closed) {
                lastError = reason;
                setState(ConnectionState.DISCONNECTED);
            }
        }
        failPending(l, closed ? Reason.CLOSED : Reason.CONNECTION_LOST, reason);
        LOG.log(wasReady ? WARNING : DEBUG, "Disconnected from {0}: {1}", settings.uri(), reason);
        if (wasReady) {
            for (ConnectionListener listener : listeners) {
                runCallback(() -> listener.disconnected(reason));
            }
        }
        if (!closed) {
            scheduleReconnect();
        }
    }

    private void failPending(Link l, Reason reason, String message) {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (l == null || e.getValue().link == l) {
                fail(e.getKey(), reason, message);
            }
        }
    }

    private void scheduleReconnect() {
        Duration delay = backoff.next();
        LOG.log(INFO, "Reconnecting to {0} in {1} ms (attempt {2})", settings.uri(), delay.toMillis(), backoff.attempts());
        try {
            timer.schedule(() -> runControl(this::connect), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void setState(ConnectionState next) {
        state = next;
        stateSince = Instant.now();
        if (next == ConnectionState.READY || next == ConnectionState.CLOSED) {
            synchronized (readySignal) {
                readySignal.notifyAll();
            }
        }
    }

    private final Object readySignal = new Object();

    /**
     * Waits until the client is {@link ConnectionState#READY} (connected and synchronised), for plain-Java callers
     * that want to send right after {@link #start()}. OSGi code should rather be a {@link ConnectionListener}.
     *
     * @return true if ready; false if the timeout passed or the client was closed first
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        checkTimeout(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (readySignal) {
            while (state != ConnectionState.READY) {
                long left = deadline - System.nanoTime();
                if (state == ConnectionState.CLOSED || left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(readySignal, left);
            }
            return true;
        }
    }

    private void runControl(Runnable task) {
        try {
            control.execute(task);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void runCallback(Runnable task) {
        try {
            callbacks.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(WARNING, "A connection listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Closes the connection with code 1000, fails every pending request with {@code CLOSED}, tells the listeners,
     * and ends every thread of this client. Idempotent.
     */
    @Override
    public void close() {
        Link l;
        boolean wasReady;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            l = link;
            link = null;
            wasReady = state == ConnectionState.READY;
            setState(ConnectionState.CLOSED);
        }
        if (l != null && l.connection != null) {
            l.connection.close(1000, "gateway shutting down");
        }
        failPending(null, Reason.CLOSED, "client closed");
        if (wasReady) {
            for (ConnectionListener listener : listeners) {
                runCallback(() -> listener.disconnected("client closed"));
            }
        }
        control.shutdownNow();
        timer.shutdownNow();
        commands.shutdownNow();
        callbacks.shutdown();
        try {
            for (ExecutorService e : List.of(control, timer, commands, callbacks)) {
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
