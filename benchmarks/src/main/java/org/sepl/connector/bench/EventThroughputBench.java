package org.sepl.connector.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sepl.connector.emulator.PlatformEmulator;

/**
 * Acknowledged events per second through an emulator from the bare client ({@link BareGateway}), as a plain
 * {@code main} in rounds (not JMH), so that it can also measure a running emulator, e.g. the shaded jar:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.sepl.connector.bench.EventThroughputBench --rounds 8 --warmup 3 --events 100000
 * java -cp benchmarks/target/benchmarks.jar org.sepl.connector.bench.EventThroughputBench --uri ws://HOST:PORT/ --user U --password P
 * </pre>
 * Without {@code --uri} it starts an emulator in this JVM (default settings, so events are recorded as usual).
 * A round fails if any event is not answered with 200.
 * <p>
 * {@code --with-client}: each round also sends as many events through the connector client (as
 * {@code ClientBenchmark.acknowledgedEvents} does), right after the bare client's, to the same emulator, and prints
 * the ratio of the two. Paired rounds keep the comparison fair on a machine whose speed drifts (a VM with steal
 * time), which two JMH benchmarks run one after the other do not.
 */
public final class EventThroughputBench {

    private EventThroughputBench() {
    }

    private static org.sepl.connector.impl.DefaultConnectorClient connectedClient(URI uri, String user, String password)
            throws InterruptedException {
        org.sepl.connector.store.memory.InMemoryDeviceManager devices = new org.sepl.connector.store.memory.InMemoryDeviceManager();
        devices.add(new org.sepl.connector.api.Device("meter-1", "iot#meter", "Meter"));
        org.sepl.connector.impl.DefaultConnectorClient client = new org.sepl.connector.impl.ConnectorClientBuilder()
                .platform(uri.getHost(), uri.getPort(), "wss".equals(uri.getScheme())).credentials(user, password)
                .deviceManager(devices).requestTimeout(java.time.Duration.ofSeconds(30))
                .maxRequestsInFlight(ClientBenchmark.WINDOW).start();
        ClientBenchmark.awaitReady(client);
        return client;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 8;
        int warmup = 3;
        int events = 100_000;
        URI uri = null;
        String user = "bench";
        String password = "bench";
        boolean withClient = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--with-client")) {
                withClient = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--events" -> events = Integer.parseInt(value);
                case "--uri" -> uri = URI.create(value);
                case "--user" -> user = value;
                case "--password" -> password = value;
                default -> throw new IllegalArgumentException("unknown option " + flag
                        + " (known: --rounds --warmup --events --uri --user --password --with-client)");
            }
        }
        PlatformEmulator local = uri == null ? PlatformEmulator.builder().user(user, password).start() : null;
        URI target = local != null ? local.uri() : uri;
        org.sepl.connector.impl.DefaultConnectorClient client = withClient ? connectedClient(target, user, password) : null;
        try (BareGateway gateway = new BareGateway(target, user, password)) {
            System.out.printf("%d warm-up + %d measured rounds of %,d events, window %d, against %s%n", warmup, rounds,
                    events, BareGateway.WINDOW, local != null ? "an in-process emulator" : uri);
            List<Double> measured = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int r = 0; r < warmup + rounds; r++) {
                long start = System.nanoTime();
                gateway.sendEvents(events);
                double perSecond = events / ((System.nanoTime() - start) / 1e9);
                boolean warm = r >= warmup;
                String clientFigure = "";
                if (client != null) {
                    start = System.nanoTime();
                    ClientBenchmark.sendAcknowledged(client, events);
                    double clientPerSecond = events / ((System.nanoTime() - start) / 1e9);
                    clientFigure = String.format(Locale.ROOT, ", client %,10.0f events/s = %.2fx", clientPerSecond,
                            clientPerSecond / perSecond);
                    if (warm) {
                        ratios.add(clientPerSecond / perSecond);
                    }
                }
                System.out.printf(Locale.ROOT, "%s %2d: bare %,10.0f events/s%s%n", warm ? "round " : "warm-up", r + 1,
                        perSecond, clientFigure);
                if (warm) {
                    measured.add(perSecond);
                }
            }
            if (!ratios.isEmpty()) {
                List<Double> sorted = ratios.stream().sorted().toList();
                int n = sorted.size();
                double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
                System.out.printf(Locale.ROOT, "client/bare per round: median %.2fx (min %.2fx, max %.2fx)%n", median,
                        sorted.get(0), sorted.get(n - 1));
            }
            double mean = measured.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double min = measured.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max = measured.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            System.out.printf(Locale.ROOT, "mean %,.0f acknowledged events/s (min %,.0f, max %,.0f)%n", mean, min, max);
        } finally {
            if (client != null) {
                client.close();
            }
            if (local != null) {
                local.close();
            }
        }
    }
}
