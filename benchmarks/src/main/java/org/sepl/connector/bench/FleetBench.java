package org.sepl.connector.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.ClientResources;
import org.sepl.connector.impl.ConnectorClientBuilder;
import org.sepl.connector.impl.DefaultConnectorClient;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.transport.jdk.JdkWebSocketTransport;
import org.sepl.connector.transport.tyrus.TyrusWebSocketTransport;

/**
 * Many gateways in one JVM against one platform: starts {@code --clients} plain-Java clients
 * ({@link ConnectorClientBuilder}, one device each) against the in-process emulator, states the threads and heap
 * one client costs, then restarts the platform {@code --rounds} times (every session closed with 1001, new
 * connections refused for {@code --refuse-millis}) and measures how the fleet comes back: the peak connection
 * attempts in any one second (the emulator counts WebSocket upgrade requests; sampled every 10 ms) and the time
 * from the restart until the last client is READY again. Not JMH: each round is one scenario, timed end to end.
 *
 * <pre>
 * mvn -B -q package -pl benchmarks -am -DskipTests
 * java -cp benchmarks/target/benchmarks.jar org.sepl.connector.bench.FleetBench --clients 200 --rounds 3
 * java -cp benchmarks/target/benchmarks.jar org.sepl.connector.bench.FleetBench --clients 200 --rounds 3 --shared
 * </pre>
 * {@code --shared}: the clients share one {@link ClientResources} (threads and one transport) instead of having
 * threads and a transport of their own; {@code --transport tyrus|jdk} (default tyrus): which transport.
 */
public final class FleetBench {

    private static final long SAMPLE_MILLIS = 10;

    private FleetBench() {
    }

    /** One client's READY count and the time it last became READY. */
    private static final class Readiness implements ConnectionListener {
        final AtomicInteger readyCount = new AtomicInteger();
        final AtomicLong lastReadyNanos = new AtomicLong();

        @Override
        public void connected(String gatewayId) {
            lastReadyNanos.set(System.nanoTime());
            readyCount.incrementAndGet();
        }

        @Override
        public void disconnected(String reason) {
        }
    }

    /**
     * Samples the emulator's connection-attempt count every 10 ms on its own thread, from construction to
     * {@link #stop()}; the peak is the largest increase over any one second.
     */
    private static final class AttemptSampler {
        private final PlatformEmulator platform;
        private final List<long[]> samples = new ArrayList<>(); // {nanos, attempts}, guarded by itself
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        AttemptSampler(PlatformEmulator platform) {
            this.platform = platform;
            sample();
            timer.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            synchronized (samples) {
                samples.add(new long[] {System.nanoTime(), platform.connectionAttempts()});
            }
        }

        /** Stops sampling, after one more second: attempts after the last READY count too. */
        void stop() throws InterruptedException {
            Thread.sleep(1000);
            timer.shutdownNow();
            timer.awaitTermination(1, TimeUnit.SECONDS);
            sample();
        }

        long total() {
            synchronized (samples) {
                return samples.get(samples.size() - 1)[1] - samples.get(0)[1];
            }
        }

        /** The most attempts in any window of this length; called after {@link #stop()}. */
        long peak(Duration window) {
            long peak = 0;
            int from = 0;
            for (int to = 0; to < samples.size(); to++) {
                while (samples.get(to)[0] - samples.get(from)[0] > window.toNanos()) {
                    from++;
                }
                peak = Math.max(peak, samples.get(to)[1] - samples.get(from)[1]);
            }
            return peak;
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = 200;
        int rounds = 3;
        long refuseMillis = 0;
        Duration initialBackoff = Duration.ofSeconds(1);
        Duration maxBackoff = Duration.ofSeconds(60);
        boolean shared = false;
        String transport = "tyrus";
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--shared")) {
                shared = true; // a flag: no value
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--refuse-millis" -> refuseMillis = Long.parseLong(args[i + 1]);
                case "--backoff-initial-millis" -> initialBackoff = Duration.ofMillis(Long.parseLong(args[i + 1]));
                case "--backoff-max-millis" -> maxBackoff = Duration.ofMillis(Long.parseLong(args[i + 1]));
                case "--transport" -> transport = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --clients N "
                        + "--rounds N --refuse-millis N --backoff-initial-millis N --backoff-max-millis N "
                        + "--transport tyrus|jdk --shared");
            }
        }
        Logger.getLogger("").setLevel(Level.SEVERE); // 200 clients log every disconnect and reconnect
        Logger.getLogger("").getHandlers()[0].setLevel(Level.SEVERE);

        // --shared: all clients on one ClientResources (one JDK HTTP client, one timer, serial lanes on a shared pool)
        ClientResources resources = shared ? new ClientResources(transport(transport)) : null;
        System.out.println((shared ? "clients share one ClientResources" : "each client has threads of its own")
                + ", transport " + transport);
        try (PlatformEmulator platform = PlatformEmulator.builder().user("fleet", "fleet").eventHistory(1000).start()) {
            long threadsBefore = threads();
            long heapBefore = heapAfterGc();
            List<DefaultConnectorClient> fleet = new ArrayList<>();
            List<Readiness> readiness = new ArrayList<>();
            AttemptSampler startSampler = new AttemptSampler(platform);
            long started = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                InMemoryDeviceManager devices = new InMemoryDeviceManager();
                devices.add(new Device("meter-" + i, "iot#meter", "Meter " + i));
                Readiness r = new Readiness();
                readiness.add(r);
                ConnectorClientBuilder builder = new ConnectorClientBuilder().platform("127.0.0.1", platform.port(), false)
                        .credentials("fleet", "fleet").deviceManager(devices)
                        .reconnectDelay(initialBackoff, maxBackoff).connectionListener(r);
                if (resources != null) {
                    builder.resources(resources);
                } else {
                    builder.transport(transport);
                }
                fleet.add(builder.start());
            }
            awaitAll(readiness, 1, maxBackoff.plusSeconds(30));
            startSampler.stop();
            long startMillis = TimeUnit.NANOSECONDS.toMillis(lastReady(readiness) - started);
            long threadsAfter = threads();
            long heapAfter = heapAfterGc();
            System.out.printf(Locale.ROOT, "%d clients READY %d ms after the first start(); peak %d connection attempts/s"
                    + " (%d in all); %d open sessions%n", clients, startMillis, startSampler.peak(Duration.ofSeconds(1)),
                    startSampler.total(), platform.openSessions());
            System.out.printf(Locale.ROOT, "threads: %d before, %d with the clients = %.2f per client; heap after GC: "
                    + "%.1f MiB before, %.1f MiB with the clients = %.1f KiB per client%n", threadsBefore, threadsAfter,
                    (threadsAfter - threadsBefore) / (double) clients, heapBefore / 1048576.0, heapAfter / 1048576.0,
                    (heapAfter - heapBefore) / 1024.0 / clients);

            System.out.println("threads by name (numbers and client names folded): " + threadKinds());
            // idle threads of pools with keep-alive (shared lanes: 10 s) end by then: the steady cost
            Thread.sleep(12_000);
            long threadsIdle = threads();
            System.out.printf(Locale.ROOT, "after 12 s idle: %d threads = %.2f per client; by name: %s%n", threadsIdle,
                    (threadsIdle - threadsBefore) / (double) clients, threadKinds());
            System.out.printf(Locale.ROOT, "restarts (refusing connections for %d ms, back-off %d..%d ms):%n",
                    refuseMillis, initialBackoff.toMillis(), maxBackoff.toMillis());
            for (int round = 1; round <= rounds; round++) {
                AttemptSampler sampler = new AttemptSampler(platform);
                int expected = round + 1;
                long restarted = System.nanoTime();
                if (refuseMillis > 0) {
                    platform.refuseConnections(Duration.ofMillis(refuseMillis));
                }
                platform.closeAllSessions();
                awaitAll(readiness, expected, maxBackoff.plusMillis(refuseMillis).plusSeconds(30));
                sampler.stop();
                long allReady = TimeUnit.NANOSECONDS.toMillis(lastReady(readiness) - restarted);
                System.out.printf(Locale.ROOT, "  round %d: all %d READY after %,d ms; peak %d connection attempts in 1 s, "
                        + "%d in 100 ms; %d attempts in all%n", round, clients, allReady, sampler.peak(Duration.ofSeconds(1)),
                        sampler.peak(Duration.ofMillis(100)), sampler.total());
            }
            for (DefaultConnectorClient c : fleet) {
                c.close();
            }
        } finally {
            if (resources != null) {
                resources.close();
            }
        }
    }

    /** Waits until every client became READY {@code times} times in all. */
    private static void awaitAll(List<Readiness> readiness, int times, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readiness.stream().anyMatch(r -> r.readyCount.get() < times)) {
            if (System.nanoTime() > deadline) {
                long late = readiness.stream().filter(r -> r.readyCount.get() < times).count();
                throw new IllegalStateException(late + " clients not READY within " + timeout);
            }
            Thread.sleep(SAMPLE_MILLIS); // polling period; the clients' READY times come from their listeners
        }
    }

    private static long lastReady(List<Readiness> readiness) {
        return readiness.stream().mapToLong(r -> r.lastReadyNanos.get()).max().orElseThrow();
    }

    /** Live threads grouped by name without digits or the client's URI: where a client's threads come from. */
    private static java.util.Map<String, Long> threadKinds() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(t -> t.getName().replaceAll("ws://\\S*|\\d+", "N"))
                .collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
    }

    private static WebSocketTransport transport(String name) {
        return switch (name) {
            case "tyrus" -> new TyrusWebSocketTransport();
            case "jdk" -> new JdkWebSocketTransport();
            default -> throw new IllegalArgumentException("--transport " + name + ": tyrus or jdk");
        };
    }

    private static long threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
