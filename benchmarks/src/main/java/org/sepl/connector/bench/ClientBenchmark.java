package org.sepl.connector.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.Device;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.ConnectorClientBuilder;
import org.sepl.connector.impl.DefaultConnectorClient;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * The client against the in-process platform emulator: acknowledged events per second, time to synchronise
 * 10,000 devices, command round trip; each over both transports ({@code -p transport=tyrus|jdk}).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ClientBenchmark -f 1 -wi 2 -i 3</pre>
 */
public class ClientBenchmark {

    static final int EVENTS_PER_INVOCATION = 10_000;
    static final int DEVICES_TO_SYNC = 10_000;
    static final int WINDOW = 1000;

    static ConnectorClientBuilder client(PlatformEmulator platform, InMemoryDeviceManager devices) {
        return client(platform.port(), devices);
    }

    static ConnectorClientBuilder client(int port, InMemoryDeviceManager devices) {
        return new ConnectorClientBuilder().platform("127.0.0.1", port, false)
                .credentials("bench", "bench").deviceManager(devices).requestTimeout(Duration.ofSeconds(30))
                .maxRequestsInFlight(WINDOW);
    }

    /** Blocks (no spinning: on 2 cores a spinning waiter took a third of a fresh JVM's CPU samples from the sync). */
    static void awaitReady(DefaultConnectorClient client) throws InterruptedException {
        if (!client.awaitReady(Duration.ofSeconds(60))) {
            throw new IllegalStateException("client not ready within 60 s: " + client.status());
        }
    }

    /** One connected client with one device, and a lamp handler for the command round trip. */
    @State(Scope.Benchmark)
    public static class Connected {
        @Param({"tyrus", "jdk"})
        String transport;
        PlatformEmulator platform;
        DefaultConnectorClient client;

        @Setup(Level.Trial)
        public void start() throws Exception {
            // a short event history keeps the emulator's memory flat
            platform = PlatformEmulator.builder().user("bench", "bench").eventHistory(1000).start();
            InMemoryDeviceManager devices = new InMemoryDeviceManager();
            devices.add(new Device("meter-1", "iot#meter", "Meter"));
            devices.add(new Device("lamp-1", "iot#lamp", "Lamp"));
            client = client(platform, devices).transport(transport)
                    .commandHandler(c -> CommandResult.of("{\"on\":true}"), Map.of(CommandHandler.DEVICE_ID, "lamp-1"))
                    .start();
            awaitReady(client);
        }

        @TearDown(Level.Trial)
        public void stop() {
            client.close();
            platform.close();
        }
    }

    /** Asynchronous events, pipelined up to the client's window; counts acknowledged (200) events. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public int acknowledgedEvents(Connected state) throws Exception {
        return sendAcknowledged(state.client, EVENTS_PER_INVOCATION);
    }

    /**
     * Sends {@code events} with {@code eventAsync}, keeping at most {@link #WINDOW} unanswered (a full window fails at
     * once with WINDOW_FULL: the caller paces itself, as a producer should), and waits for every answer.
     *
     * @throws IllegalStateException if any was not answered with 200
     */
    static int sendAcknowledged(DefaultConnectorClient client, int events) throws Exception {
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(WINDOW);
        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int i = 0; i < events; i++) {
            window.acquire();
            client.eventAsync("meter-1", "reading", "{\"kwh\":1.5}", null).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else if (r.isSuccess()) {
                    ok.incrementAndGet();
                }
                window.release();
            });
        }
        if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("answers missing after 60 s");
        }
        if (failure.get() != null || ok.get() != events) {
            throw new IllegalStateException(ok.get() + " of " + events + " acknowledged", failure.get());
        }
        return ok.get();
    }

    /**
     * Platform command → handler → response → the platform has the answer. The tail percentiles need the JIT done:
     * after 6 s of warm-up the p99.9 still caught compilation (3.4-4.2 ms), after 30 s it did not (1.3-1.7 ms).
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 6, time = 5)
    @Measurement(iterations = 4, time = 5)
    public Object commandRoundTrip(Connected state) throws Exception {
        return state.platform.sendCommand("lamp-1", "set_on", "{\"on\":true}", null).get(10, TimeUnit.SECONDS);
    }

    /** The devices of a first synchronisation: 10,000 with one tag each. */
    static InMemoryDeviceManager tenThousandDevices() {
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        for (int i = 0; i < DEVICES_TO_SYNC; i++) {
            Device d = new Device("device-" + i, "iot#sensor", "Sensor " + i);
            d.addTag("room", "r" + (i % 50));
            devices.add(d);
        }
        return devices;
    }

    /**
     * A fresh gateway with 10,000 devices: from start() to READY (handshake, clear, 10,000 puts, commit), against
     * <ul>
     * <li>{@code inProcess}: the emulator in this JVM, started cold with it: the first sync pays the emulator's class
     * loading and JIT too, on the same two cores;</li>
     * <li>{@code warmProcess}: a {@link WarmPlatform}, running and warm in a process of its own, as a gateway meets
     * the real platform.</li>
     * </ul>
     */
    @State(Scope.Benchmark)
    public static class TenThousandDevices {
        @Param({"inProcess", "warmProcess"})
        String platform;
        /** The client's transport; the bare client runs on the same library. */
        @Param({"tyrus", "jdk"})
        String transport;
        AutoCloseable running;
        URI uri;
        int port;
        InMemoryDeviceManager devices;
        AutoCloseable gateway;

        @TearDown(Level.Iteration)
        public void closeGateway() throws Exception {
            gateway.close(); // not measured
        }

        @Setup(Level.Trial)
        public void start() throws Exception {
            if (platform.equals("inProcess")) {
                PlatformEmulator emulator = PlatformEmulator.builder().user("bench", "bench").start();
                running = emulator;
                uri = emulator.uri();
            } else {
                WarmPlatform warm = WarmPlatform.start();
                running = warm;
                uri = warm.uri();
            }
            port = uri.getPort();
            devices = tenThousandDevices();
            // a gateway's logging is set up before its client starts (the launcher's first line comes first): so here,
            // or the client's first log line would pay for java.util.logging's start (about 0.1 s cold), the bare
            // client, which logs nothing, not
            System.getLogger(ClientBenchmark.class.getName()).log(System.Logger.Level.INFO,
                    "benchmark set up: {0} devices, platform {1}", DEVICES_TO_SYNC, uri);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            running.close();
        }
    }

    /** Run with {@code -f N -wi 0 -i 1}: one shot per fork, each a fresh client JVM. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void synchroniseTenThousandDevices(TenThousandDevices state) throws Exception {
        // no stored gateway id: the platform creates a new gateway with an empty hash, so every device is sent
        DefaultConnectorClient client = client(state.port, state.devices).transport(state.transport).start();
        state.gateway = client;
        awaitReady(client);
    }

    /**
     * The floor under {@link #synchroniseTenThousandDevices}: the bare client ({@link BareGateway}, no connector code)
     * over the library of the same transport, in a fresh JVM, connects, handshakes and puts 10,000 devices pipelined,
     * as the client's synchronisation does (without its {@code clear} and {@code commit}). Run with
     * {@code -f N -wi 0 -i 1}.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void synchroniseTenThousandDevicesBare(TenThousandDevices state) throws Exception {
        BareGateway bare = BareGateway.over(state.transport, state.uri, "bench", "bench");
        state.gateway = bare;
        bare.putDevices("sensor", DEVICES_TO_SYNC);
    }

    /**
     * The same bare sync over Java-WebSocket (whatever the {@code transport} parameter) instead of the JDK's WebSocket: what another library costs cold. Read it
     * with {@code -p platform=warmProcess} only: the in-process emulator serves with Java-WebSocket, so in process the
     * library is loaded and partly compiled before the shot.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void synchroniseTenThousandDevicesBareJavaWebSocket(TenThousandDevices state) throws Exception {
        BareGateway bare = BareGateway.overJavaWebSocket(state.uri, "bench", "bench");
        state.gateway = bare;
        bare.putDevices("sensor", DEVICES_TO_SYNC);
    }

    /** A connected gateway with {@code devices} devices, for the cost of one runtime change. */
    @State(Scope.Benchmark)
    public static class ManyDevices {
        @Param({"100", "20000"})
        int devices;
        PlatformEmulator platform;
        DefaultConnectorClient client;
        Device changing;
        long n;

        @Setup(Level.Trial)
        public void start() throws Exception {
            platform = PlatformEmulator.builder().user("bench", "bench").start();
            InMemoryDeviceManager store = new InMemoryDeviceManager();
            for (int i = 0; i < devices; i++) {
                store.add(new Device("device-" + i, "iot#sensor", "Sensor " + i));
            }
            changing = new Device("changing", "iot#sensor", "Changing 0");
            store.add(changing);
            client = client(platform, store).start();
            awaitReady(client);
        }

        @TearDown(Level.Trial)
        public void stop() {
            client.close();
            platform.close();
        }
    }

    /**
     * One runtime device change with {@code devices} devices present: {@code add} of a device the gateway has (a new
     * name), i.e. a {@code put} and the {@code commit} of the new gateway hash, waited for.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object addWithManyDevices(ManyDevices state) throws Exception {
        Device d = new Device("changing", "iot#sensor", "Changing " + (++state.n));
        return state.client.addAsync(d).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
