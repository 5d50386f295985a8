package org.sepl.connector.emulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A local SEPL platform endpoint: the platform side of the connector protocol (docs/PROTOCOL.md), in process.
 * <p>
 * Start one per test (it binds a free port by default), point a gateway at {@link #uri()}, then look at what the
 * platform saw ({@link #gateways()}, {@link #events()}, {@link #commandResponses()}), send commands
 * ({@link #sendCommand}), simulate a restart ({@link #closeAllSessions()}) or inject faults ({@link #faults()}).
 * <pre>{@code
 * try (PlatformEmulator platform = PlatformEmulator.builder().user("alice", "secret").start()) {
 *     // connect a gateway to platform.uri() as alice/secret ...
 * }
 * }</pre>
 * Thread-safe. Every inspection method returns an immutable snapshot. The WebSocket server and the optional HTTP
 * control endpoint ({@link Builder#controlPort}) listen on the builder's host only (default 127.0.0.1).
 * <p>
 * Longer than 400 lines because it is the whole public API with its documentation: the nested types (the records,
 * {@link Faults}, {@link Builder}) keep the names other modules use. It only delegates: the work is done by the
 * package's other classes (platform-emulator/README.md, "Layout").
 */
public final class PlatformEmulator implements AutoCloseable {

    /** A device as the platform shows it for a gateway. {@code tags} are {@code "id:value"}, platform order. */
    public record Device(String uri, String name, String iotType, List<String> tags, boolean connected) {
    }

    /** A gateway: the account it belongs to, the hash of its last commit and its devices. */
    public record Gateway(String id, String user, String hash, List<Device> devices) {
    }

    /**
     * An {@code event} request as received, accepted ({@code status} 200) or refused (400); {@code data} and
     * {@code metadata} are the values of the protocol parts (usually strings, {@code null} if absent).
     */
    public record Event(String gatewayId, String deviceUri, String serviceUri, Object data, Object metadata, int status) {
    }

    /** A gateway's answer to a command: the whole {@code response} payload, keyed by {@code task_id}. */
    public record CommandResponse(String taskId, Map<String, Object> payload) {
    }

    /**
     * A command the platform sent ({@link #sendCommand}, or the control page's form), with the gateway's answer and
     * the time from sending to the answer's arrival; {@code answer} and {@code latency} are null while none came.
     */
    public record Command(String taskId, String deviceUri, String serviceUri, Object data, Object metadata,
            java.time.Instant sent, CommandResponse answer, Duration latency) {
    }

    private final Platform platform;
    private final Endpoint endpoint;
    private final LinkRelay relay; // null unless Builder.linkFaults or requireClientCertificate: else no extra hop
    private final ControlServer control;
    private final boolean tls;

    private PlatformEmulator(Builder b) throws IOException {
        platform = new Platform(b.users, b.stateFile, b.eventHistory, b.clock);
        InetSocketAddress address = new InetSocketAddress(b.host, b.port);
        // with link faults the relay listens at the builder's address and the WebSocket server behind it on loopback;
        // so it does with client certificates, and ends TLS itself: Java-WebSocket's TLS channel can stall a handshake
        // with a client certificate until the client gives up (TooTallNate/Java-WebSocket#1500), the JDK's TLS
        // server socket does not
        boolean relayed = b.linkFaults || b.requireClientCertificate;
        InetSocketAddress endpointAddress = relayed ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : address;
        endpoint = new Endpoint(endpointAddress, b.host, platform, b.pingInterval, b.readTimeout,
                b.requireClientCertificate ? null : b.tls);
        LinkRelay linkRelay = null;
        ControlServer controlServer = null;
        try {
            endpoint.startAndWait();
            if (relayed) {
                linkRelay = new LinkRelay(address, new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.port()),
                        platform.faults(), b.requireClientCertificate ? b.tls : null);
                endpoint.relay(linkRelay);
                if (b.linkFaults) {
                    platform.faults().relay(linkRelay);
                }
            }
            controlServer = b.controlPort < 0 ? null : new ControlServer(this, b.host, b.controlPort);
        } catch (IOException | RuntimeException e) {
            if (linkRelay != null) {
                linkRelay.close();
            }
            endpoint.shutdown();
            platform.close();
            throw e;
        }
        relay = linkRelay;
        control = controlServer;
        tls = b.tls != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The WebSocket port (the real one when the builder asked for port 0). */
    public int port() {
        return relay != null ? relay.port() : endpoint.port();
    }

    /** {@code ws://HOST:PORT/} ({@code wss://} with {@link Builder#tls}) with the builder's host. */
    public URI uri() {
        return URI.create((tls ? "wss://" : "ws://") + hostForUri() + ":" + port() + "/");
    }

    private String hostForUri() {
        String host = endpoint.advertisedHost();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The HTTP control port, or -1 if control over HTTP is off. */
    public int controlPort() {
        return control == null ? -1 : control.port();
    }

    public List<Gateway> gateways() {
        return platform.registry().gateways();
    }

    public Optional<Gateway> gateway(String gatewayId) {
        return platform.registry().gateway(gatewayId);
    }

    /** Every event received (most recent {@link Builder#eventHistory} of them), oldest first. */
    public List<Event> events() {
        return platform.history().events();
    }

    /**
     * When each event kept arrived (epoch milliseconds), oldest first, in the order of {@link #events()}: the two
     * line up when no event arrives between the calls. For measuring a gateway's pace by the platform's clock.
     */
    public List<Long> eventArrivalMillis() {
        return platform.history().eventsSince(0, Integer.MAX_VALUE).events().stream().map(History.ReceivedEvent::receivedMillis)
                .toList();
    }

    public List<CommandResponse> commandResponses() {
        return platform.history().commandResponses();
    }

    /** Commands sent (most recent {@link Builder#eventHistory} of them), oldest first, answered or not. */
    public List<Command> commands() {
        return platform.history().commands();
    }

    /**
     * WebSocket upgrade requests received since start, refused ones included: sample it to see how fast gateways
     * come back after {@link #closeAllSessions()}.
     */
    public long connectionAttempts() {
        return endpoint.connectionAttempts();
    }

    Platform platform() {
        return platform;
    }

    /** Whether new connections are refused now ({@link #refuseConnections}). */
    boolean refusingConnections() {
        return endpoint.refusing();
    }

    /** WebSocket connections currently open (handshake done or not). */
    public int openSessions() {
        return endpoint.openSessions();
    }

    /** Requests received for {@code handler} ({@code "handshake"} counts credentials frames), faulted ones included. */
    public long requestCount(String handler) {
        return platform.requestCount(handler);
    }

    /**
     * Sends a command for a device to every connection listening to it, and completes with the first answer.
     * Fails at once with {@link IllegalStateException} if no connection listens to the device. No timeout of its
     * own: use {@code orTimeout} or {@code get(timeout)}.
     */
    public CompletableFuture<CommandResponse> sendCommand(String deviceUri, String serviceUri, Object data, Object metadata) {
        Objects.requireNonNull(deviceUri, "deviceUri must not be null");
        Objects.requireNonNull(serviceUri, "serviceUri must not be null");
        return endpoint.sendCommand(deviceUri, serviceUri, data, metadata);
    }

    /** Closes every connection (code 1001), as a platform restart does. Gateways, devices and hashes stay. */
    public void closeAllSessions() {
        platform.faults().count(FaultKind.SESSIONS_CLOSED);
        endpoint.closeAll();
    }

    /**
     * A platform process restart: every connection is dropped (no close frame: the gateways see 1006), the
     * sessions are forgotten (what they listened to, their error counts) and so are the commands waiting for an
     * answer (their futures fail; a late {@code response} is still counted in {@link #commandLedger()}). Gateways,
     * devices and hashes stay, read back from the state file if there is one. New connections are refused for
     * {@code down} (zero: none). Silenced connections ({@link Faults#silenceOnNext}) stay as they are.
     */
    public void restart(Duration down) {
        Objects.requireNonNull(down, "down must not be null");
        if (down.isNegative()) {
            throw new IllegalArgumentException("down must not be negative, was " + down);
        }
        platform.faults().count(FaultKind.RESTARTED);
        if (!down.isZero()) {
            endpoint.refuseFor(down);
        }
        endpoint.dropAll();
        platform.forgetSessions();
    }

    /**
     * Per task id the platform sent (and any it got a {@code response} for), oldest first: how often the command
     * was delivered and how many responses came back. The most recent {@link Builder#eventHistory} task ids.
     */
    public Map<String, CommandTally> commandLedger() {
        return platform.commands().ledger();
    }

    /** Refuses new WebSocket connections for {@code duration} (the HTTP upgrade is answered with an error). */
    public void refuseConnections(Duration duration) {
        endpoint.refuseFor(Objects.requireNonNull(duration, "duration must not be null"));
    }

    public Faults faults() {
        return platform.faults();
    }

    /**
     * Forgets gateways, devices, events, command responses, the command ledger, request counts, faults and their
     * counts. Connections stay open.
     */
    public void reset() {
        platform.reset();
    }

    /** Stops listening, closes every connection and saves the state file if there is one. Idempotent. */
    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        if (relay != null) {
            relay.close();
        }
        endpoint.shutdown();
        platform.close();
    }

    /**
     * Fault injection, per request handler ({@code put}, {@code event}, {@code commit}, ...). Every method returns
     * this, for chaining. Thread-safe.
     */
    public interface Faults {

        /** The next {@code n} requests of {@code handler} are answered with {@code status} (400 or 500) and not applied. */
        Faults failNext(String handler, int n, int status);

        /** The next {@code n} requests of {@code handler} are handled after {@code delay} (the connection waits too). */
        Faults delayNext(String handler, int n, Duration delay);

        /** The next {@code n} requests of {@code handler} are neither applied nor answered. */
        Faults dropNext(String handler, int n);

        /** The next request of {@code handler} makes the platform drop the connection (no answer, no close frame). */
        Faults closeOnNext(String handler);

        /** While on, every handshake fails as a wrong password does: the TCP connection is dropped. */
        Faults rejectHandshakes(boolean reject);

        /**
         * Seeds the random choices of the share faults ({@link #dropAnswers}, {@link #delayAnswers},
         * {@link #duplicateCommands}) and starts their sequences again: the same seed makes the same choices for
         * the same sequence of requests (per handler) and commands.
         */
        Faults seed(long seed);

        /** The seed in use: the last one given, or the one chosen at start. Print it to replay a run. */
        long seed();

        /** A {@code share} (0 to 1) of the requests of {@code handler} are applied but not answered (the answer is lost). */
        Faults dropAnswers(String handler, double share);

        /**
         * A {@code share} (0 to 1) of the requests of {@code handler} are applied at once and answered after
         * {@code delay}; the connection's other answers do not wait for it (tokens match answers, PROTOCOL.md §3).
         */
        Faults delayAnswers(String handler, double share, Duration delay);

        /** A {@code share} (0 to 1) of the commands are delivered twice, with the same {@code task_id}. */
        Faults duplicateCommands(double share);

        /** The next {@code n} commands are delivered twice, with the same {@code task_id}. */
        Faults duplicateNextCommands(int n);

        /**
         * The next request of {@code handler} is not answered and its connection goes silent both ways (half-open
         * TCP): nothing more is read or written, no close, no pong. Needs {@link Builder#linkFaults}.
         */
        Faults silenceOnNext(String handler);

        /** Every open connection goes silent both ways, as {@link #silenceOnNext} does. Needs {@link Builder#linkFaults}. */
        Faults silenceOpenConnections();

        /**
         * The platform reads every connection at most {@code bytesPerSecond} (0: full speed), so that a faster
         * gateway's writes back up (TCP back-pressure); nothing is lost or reordered. Needs {@link Builder#linkFaults}.
         */
        Faults slowReader(int bytesPerSecond);

        /**
         * At most {@code maxAttempts} connection attempts admitted per {@code window} per user or per client
         * address; one beyond is refused as a wrong password is (the TCP connection is dropped) and not counted.
         */
        Faults throttleConnections(ThrottleKey by, int maxAttempts, Duration window);

        /** {@link #throttleConnections(ThrottleKey, int, Duration)} with the real platform's 10 attempts per 30 s. */
        Faults throttleConnections(ThrottleKey by);

        /** Faults injected since start (or {@link PlatformEmulator#reset()}), every kind, zeros included. */
        Map<FaultKind, Long> injected();

        /** Disarms every fault (silenced connections stay silent); keeps the seed and the counts of {@link #injected()}. */
        Faults clear();
    }

    /** Settings; {@link #start()} makes the emulator. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private final Map<String, String> users = new LinkedHashMap<>();
        private Duration pingInterval = Duration.ofSeconds(20);
        private Duration readTimeout = Duration.ofSeconds(40);
        private int controlPort = -1;
        private Path stateFile;
        private int eventHistory = 100_000;
        private javax.net.ssl.SSLContext tls;
        private boolean requireClientCertificate;
        private boolean linkFaults;
        private java.time.Clock clock = java.time.Clock.systemUTC();

        private Builder() {
        }

        /**
         * The platform's clock: the {@code time} of its commands (docs/PROTOCOL.md §5). Default: the system clock. A
         * clock set off makes the gateway's clock wrong as the gateway sees it: e.g. ten minutes behind the system
         * clock, as a gateway ten minutes fast would see a right one.
         */
        public Builder clock(java.time.Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** The address both servers listen on, and the host of {@link #uri()}. Default 127.0.0.1; 0.0.0.0: all interfaces. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host must not be null");
            return this;
        }

        /** The WebSocket port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Adds an account; call again for more. Without any, every handshake fails. */
        public Builder user(String user, String password) {
            Objects.requireNonNull(user, "user must not be null");
            Objects.requireNonNull(password, "password must not be null");
            users.put(user, password);
            return this;
        }

        /** How often the platform pings a quiet connection. Default 20 s. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive(interval, "pingInterval");
            return this;
        }

        /** A connection from which nothing (frame or pong) was read for this long is dropped. Default 40 s. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /** Port of the HTTP control endpoint; 0 picks a free one; -1 (default) turns it off. */
        public Builder controlPort(int port) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("controlPort must be -1 (off) or 0-65535, was " + port);
            }
            this.controlPort = port;
            return this;
        }

        /** Keeps gateways, devices and hashes in this JSON file across restarts. Default: in memory only. */
        public Builder stateFile(Path file) {
            this.stateFile = file;
            return this;
        }

        /** How many events (and command responses) are kept for inspection; older ones are forgotten. */
        public Builder eventHistory(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("eventHistory must not be negative, was " + max);
            }
            this.eventHistory = max;
            return this;
        }

        /** Serves {@code wss://} with this context's key (for testing a gateway's TLS settings). Default: plain ws. */
        public Builder tls(javax.net.ssl.SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context must not be null");
            return this;
        }

        /**
         * With {@link #tls}: mutual TLS. A gateway must present a certificate that the {@link #tls} context's trust
         * managers trust, else its TLS handshake fails (the server sends a fatal alert, as a platform that requires
         * client certificates does). Default: no client certificate asked for.
         */
        public Builder requireClientCertificate() {
            this.requireClientCertificate = true;
            return this;
        }

        /**
         * Puts a TCP relay in front of the WebSocket server, for the faults below the WebSocket library
         * ({@link Faults#silenceOnNext}, {@link Faults#silenceOpenConnections}, {@link Faults#slowReader}). Costs a
         * hop and two threads per connection, so it is off by default.
         */
        public Builder linkFaults(boolean on) {
            this.linkFaults = on;
            return this;
        }

        /**
         * Starts listening; returns when the port is bound.
         *
         * @throws IllegalStateException if {@link #requireClientCertificate()} was asked for without {@link #tls}
         */
        public PlatformEmulator start() throws IOException {
            if (requireClientCertificate && tls == null) {
                throw new IllegalStateException("requireClientCertificate() needs tls(context): client certificates "
                        + "are part of TLS");
            }
            return new PlatformEmulator(this);
        }

        String host() {
            return host;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name + " must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
