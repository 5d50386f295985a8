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
 */
public final class EventThroughputBench {

    private EventThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 8;
        int warmup = 3;
        int events = 100_000;
        URI uri = null;
        String user = "bench";
        String password = "bench";
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
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
                        + " (known: --rounds --warmup --events --uri --user --password)");
            }
        }
        PlatformEmulator local = uri == null ? PlatformEmulator.builder().user(user, password).start() : null;
        try (BareGateway gateway = new BareGateway(local != null ? local.uri() : uri, user, password)) {
            System.out.printf("%d warm-up + %d measured rounds of %,d events, window %d, against %s%n", warmup, rounds,
                    events, BareGateway.WINDOW, local != null ? "an in-process emulator" : uri);
            List<Double> measured = new ArrayList<>();
            for (int r = 0; r < warmup + rounds; r++) {
                long start = System.nanoTime();
                gateway.sendEvents(events);
                double perSecond = events / ((System.nanoTime() - start) / 1e9);
                boolean warm = r >= warmup;
                System.out.printf(Locale.ROOT, "%s %2d: %,10.0f events/s%n", warm ? "round " : "warm-up", r + 1, perSecond);
                if (warm) {
                    measured.add(perSecond);
                }
            }
            double mean = measured.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double min = measured.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max = measured.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            System.out.printf(Locale.ROOT, "mean %,.0f acknowledged events/s (min %,.0f, max %,.0f)%n", mean, min, max);
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }
}
