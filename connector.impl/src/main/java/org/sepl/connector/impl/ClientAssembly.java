package org.sepl.connector.impl;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.transport.ConnectionOptions;
import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.impl.binding.RankedChoice;
import org.sepl.connector.impl.command.CommandAnswers;
import org.sepl.connector.impl.command.CommandDispatcher;
import org.sepl.connector.impl.command.CommandReplies;
import org.sepl.connector.impl.command.CommandRouter;
import org.sepl.connector.impl.connection.ConnectionLifecycle;
import org.sepl.connector.impl.connection.ConnectionStatus;
import org.sepl.connector.impl.connection.Handshake;
import org.sepl.connector.impl.connection.Link;
import org.sepl.connector.impl.connection.TlsContextSource;
import org.sepl.connector.impl.executor.ClientThreads;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.outbox.Deadlines;
import org.sepl.connector.impl.outbox.DirectSender;
import org.sepl.connector.impl.outbox.MessageSender;
import org.sepl.connector.impl.outbox.OutboxSender;
import org.sepl.connector.impl.ratelimit.TokenBucket;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.settings.ClientSettings;
import org.sepl.connector.impl.sync.DeviceChangePublisher;
import org.sepl.connector.impl.sync.DeviceChanges;
import org.sepl.connector.impl.sync.DeviceManagerHandOver;
import org.sepl.connector.impl.sync.DeviceSynchroniser;
import org.sepl.connector.impl.sync.Synchronisation;
import org.sepl.connector.impl.wire.FrameReceiver;
import org.sepl.connector.impl.wire.WireCodec;

/**
 * Builds one client's parts and wires them: the one place that knows them all (the builder and the OSGi component
 * both go through it). What may change while the client runs comes in here too: the device managers, transports
 * and outbox that OSGi services offer; a plain-Java client's are given once. Not API: the client's users see
 * {@link DefaultConnectorClient} through {@code connector.api}'s interfaces.
 */
public final class ClientAssembly {

    private static final System.Logger LOG = System.getLogger(ClientAssembly.class.getName());
    /** How often request deadlines are checked: one sweep is cheaper than a timer task per request. */
    static final long DEADLINE_SWEEP_MILLIS = 10;
    /** How often the outbox's flow is sampled and the loss ledger checked: rates over a minute need no more. */
    static final long OUTBOX_SAMPLE_MILLIS = 1000;

    private final ClientSettings settings;
    private final ClientThreads threads;
    private final RankedChoice<DeviceManager> deviceManagers;
    private final RankedChoice<WebSocketTransport> transports;
    private final DeviceManagerHandOver handOver;
    private final MessageSender sender;
    private final ConnectionLifecycle lifecycle;
    private final DefaultConnectorClient client;
    private volatile WebSocketTransport transportInUse;

    /**
     * @param sslContext TLS for wss, used as it is (null: from the trust and key store settings, read again when a
     *                   store file changed, or the JVM's)
     * @param outbox     the outbox to start with (null: none yet; events are refused until one is set)
     * @param owned      what the client closes after itself (a transport or outbox made just for it)
     */
    public ClientAssembly(ClientSettings settings, GatewayIdStore gatewayIds, SSLContext sslContext,
            ClientThreads threads, Outbox outbox, List<AutoCloseable> owned) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.threads = threads;
        this.deviceManagers = new RankedChoice<>(settings.deviceManager());
        this.transports = new RankedChoice<>(settings.transport());
        UserCallbacks callers = new UserCallbacks(threads.callbacks);
        WireCodec codec = new WireCodec();
        ConnectionStatus status = new ConnectionStatus();
        RequestTracker tracker = new RequestTracker(settings.maxRequestsInFlight(),
                settings.requestTimeoutsBeforeReconnect());
        Supplier<RequestTracker.Channel> readyChannel = () -> {
            Link l = status.readyLink();
            return l == null ? null : l.channel();
        };

        DeviceChangePublisher publisher = new DeviceChangePublisher(codec, tracker, threads.changes);
        handOver = new DeviceManagerHandOver(null, threads.changes, publisher);
        DeviceChanges changes = new DeviceChanges(handOver, publisher, () -> status.readyLink() != null,
                () -> status.get().state() == org.sepl.connector.api.ConnectionState.CLOSED);
        Synchronisation sync = new Synchronisation(new DeviceSynchroniser(codec, tracker, settings.requestTimeout()),
                publisher, handOver, changes, threads.changes,
                m -> deviceManagers.isWanted(m) ? null : deviceManagers.wanted());

        sender = settings.outboxEnabled()
                ? new OutboxSender(outbox, tracker, readyChannel, threads.outbox, threads.timer, callers,
                        settings.requestTimeout(), settings.outboxRetryDelay(), rateLimit(settings))
                : new DirectSender(tracker, readyChannel,
                        () -> status.get().state() == org.sepl.connector.api.ConnectionState.CLOSED, callers,
                        settings.requestTimeout());
        CommandRouter router = new CommandRouter();
        CommandReplies replies = new CommandReplies(codec, sender::send);
        CommandDispatcher dispatcher = new CommandDispatcher(router, threads.commands,
                new CommandAnswers(codec, replies, sender),
                settings.commandQueueSize(), settings.commandMaxAge(), settings.unclaimedCommandTimeout(),
                Clock.systemUTC(), System::nanoTime);
        dispatcher.deviceLookup(handOver::device);

        Supplier<SSLContext> tls = tls(settings, sslContext);
        HttpProxy proxy = settings.proxy();
        Supplier<ConnectionOptions> options = () -> ConnectionOptions.builder().sslContext(tls.get()).proxy(proxy)
                .maxMessageBytes(settings.maxFrameBytes()).handshakeTimeout(settings.requestTimeout()).build();
        lifecycle = new ConnectionLifecycle(settings, options, status, tracker,
                new Handshake(codec, tracker, gatewayIds, settings.user(), settings.password(), settings.requestTimeout()),
                sync, new FrameReceiver(codec, tracker, dispatcher)::onFrame, threads, callers,
                this::awaitDeviceManager, gatewayIds.load());
        lifecycle.whenReady(sender::connected);
        publisher.whenResyncNeeded(() -> lifecycle.resynchronise("The platform's device list is not known"));
        handOver.whenReplaced(lifecycle::resynchronise);

        Deadlines deadlines = new Deadlines(callers);
        client = new DefaultConnectorClient(new DefaultConnectorClient.Parts(settings, codec, status, lifecycle, tracker,
                router, dispatcher, replies, sender, changes, callers, deadlines, threads, () -> closeAll(owned)));
        // deadlines are checked from now on, not only from start(): a request made before start still times out
        threads.timer.scheduleWithFixedDelay(() -> {
            tracker.sweep();
            sender.sweep();
            deadlines.sweep();
            dispatcher.expireUnclaimed();
        }, DEADLINE_SWEEP_MILLIS, DEADLINE_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        // the outbox's rates and the loss ledger's audit, on the outbox lane
        threads.timer.scheduleWithFixedDelay(sender::sample, OUTBOX_SAMPLE_MILLIS, OUTBOX_SAMPLE_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * The TLS context of each connection: the one given (used as it is), or made from the store settings and made
     * again when a store file changed (a renewed certificate is used from the next reconnect on).
     *
     * @throws IllegalArgumentException if both are given, or a store cannot be used
     */
    private static Supplier<SSLContext> tls(ClientSettings settings, SSLContext given) {
        if (given == null) {
            return new TlsContextSource(settings)::current;
        }
        for (var store : List.of(ClientSettings.TRUST_STORE, ClientSettings.KEY_STORE)) {
            if (!settings.get(store).isBlank()) {
                throw new IllegalArgumentException("property '" + store.property() + "' = \"" + settings.get(store)
                        + "\": not with a TLS context given in code (sslContext), which is used as it is: give one or "
                        + "the other");
            }
        }
        return () -> given;
    }

    private static TokenBucket rateLimit(ClientSettings settings) {
        return settings.rateLimitAverage() == 0 ? null
                : new TokenBucket(settings.rateLimitAverage(), settings.rateLimitBurst());
    }

    /** @return the client these parts make up */
    public DefaultConnectorClient client() {
        return client;
    }

    // ---- what may change while the client runs ---------------------------------------------------------------

    /** A device manager is available (OSGi: a service with its name and ranking). */
    public void deviceManagerAdded(DeviceManager manager, String name, int ranking) {
        useDeviceManager(deviceManagers.add(manager, name, ranking), null);
    }

    /**
     * A device manager goes away. If it is the one in use, or its devices are still to be handed over, they are read
     * now, while it is still there, and handed to its successor on the changes lane.
     */
    public void deviceManagerRemoved(DeviceManager manager) {
        Collection<Device> devices = handOver.goingAway(manager);
        DeviceManager best = deviceManagers.remove(manager);
        if (best != null) {
            useDeviceManager(best, devices);
        }
    }

    private void useDeviceManager(DeviceManager best, Collection<Device> oldDevices) {
        if (best != null && best != handOver.current()) {
            handOver.replace(best, oldDevices);
        }
    }

    /** A transport is available (OSGi: a service with its name and ranking). */
    public void transportAdded(WebSocketTransport transport, String name, int ranking) {
        useTransport(transports.add(transport, name, ranking));
    }

    /** A transport goes away: the client moves to the next best, or waits for one. */
    public void transportRemoved(WebSocketTransport transport) {
        useTransport(transports.remove(transport));
    }

    private synchronized void useTransport(WebSocketTransport best) {
        if (best != transportInUse) {
            transportInUse = best;
            if (best != null) {
                LOG.log(INFO, "Using the {0} WebSocket transport for {1}", best.name(), settings.uri());
            }
            lifecycle.useTransport(best);
        }
    }

    /** Sends events and command answers through {@code outbox} from now on (null is ignored: the last one stays). */
    public void outbox(Outbox outbox) {
        if (outbox != null && sender instanceof OutboxSender s) {
            s.useOutbox(outbox);
        }
    }

    /**
     * Hands the status to {@code watcher} every {@code period} on the client's timer (for service properties or
     * metrics), until the client is closed. The watcher must return quickly.
     */
    public void watchStatus(Consumer<ClientStatus> watcher, Duration period) {
        try {
            threads.timer.scheduleWithFixedDelay(() -> {
                try {
                    watcher.accept(client.status());
                } catch (RuntimeException e) {
                    LOG.log(WARNING, "A status watcher failed", e);
                }
            }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /**
     * The start gate: with {@code deviceManager} configured, the first connection waits (bounded) until that
     * manager is there and handed over, so that the first synchronisation is with it and not with a stand-in.
     */
    private void awaitDeviceManager() throws InterruptedException {
        String wanted = deviceManagers.wanted();
        if (!wanted.isEmpty() && !deviceManagers.wantedPresent()) {
            Duration wait = settings.deviceManagerWait();
            LOG.log(INFO, "Waiting up to {0} s for the device manager ''{1}'' before connecting", wait.toSeconds(),
                    wanted);
            if (!deviceManagers.awaitWanted(wait)) {
                LOG.log(WARNING, "The device manager ''{0}'' did not come within {1} s: connecting with ''{2}'' "
                        + "(present: {3}) for events and commands; the platform''s device list is kept as it is until "
                        + "''{0}'' comes (unless it holds none)", wanted, wait.toSeconds(), deviceManagers.bestName(),
                        deviceManagers.names());
            }
        }
        handOver.awaitReplacements(); // the one in use is the best one now
    }

    private static void closeAll(List<AutoCloseable> owned) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(WARNING, "Cannot close " + c, e);
            }
        }
    }
}
