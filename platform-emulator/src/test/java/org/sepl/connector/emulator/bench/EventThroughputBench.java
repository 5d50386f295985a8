package org.sepl.connector.emulator.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.sepl.connector.emulator.PlatformEmulator;

/**
 * Acknowledged events per second through the emulator, from one pipelining client: the JDK's WebSocket, handshake,
 * one {@code put}, then {@code event} frames with up to {@value #WINDOW} unanswered. Run by hand (it is not a
 * test; see the module's README):
 * <pre>
 * mvn -B -q -pl platform-emulator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.sepl.connector.emulator.bench.EventThroughputBench \
 *     -Dexec.args="--rounds 8 --warmup 3 --events 100000"
 * </pre>
 * Without {@code --uri} it starts an emulator in this JVM (default settings, so events are recorded as usual);
 * with {@code --uri ws://HOST:PORT/ --user U --password P} it measures a running one, e.g. the shaded jar.
 * A round fails if any event is not answered with 200.
 */
public final class EventThroughputBench {

    static final int WINDOW = 1000;

    private static final String EVENT_BODY = "\",\"payload\":{\"device_uri\":\"meter-1\",\"service_uri\":\"reading\","
            + "\"value\":[{\"name\":\"metadata\",\"value\":null},{\"name\":\"data\",\"value\":\"{\\\"kwh\\\":1.5}\"}]}}";

    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final CompletableFuture<String> handshake = new CompletableFuture<>();
    private WebSocket socket;

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
        try {
            EventThroughputBench bench = new EventThroughputBench();
            bench.connect(local != null ? local.uri() : uri, user, password);
            System.out.printf("%d warm-up + %d measured rounds of %,d events, window %d, against %s%n", warmup, rounds,
                    events, WINDOW, local != null ? "an in-process emulator" : uri);
            List<Double> measured = new ArrayList<>();
            for (int r = 0; r < warmup + rounds; r++) {
                double perSecond = bench.round(events);
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
            bench.socket.abort();
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    private void connect(URI uri, String user, String password) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String frame = partial.toString();
                            partial.setLength(0);
                            if (!handshake.isDone()) {
                                handshake.complete(frame);
                            } else {
                                (frame.startsWith("{\"status\":200") ? acknowledged : refused).incrementAndGet();
                                window.release();
                            }
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        handshake.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        socket.sendText("{\"user\":\"" + user + "\",\"pw\":\"" + password + "\",\"gid\":\"\",\"token\":\"credentials\"}",
                true).join();
        String reply = handshake.get(5, TimeUnit.SECONDS);
        if (!reply.startsWith("{\"status\":200")) {
            throw new IllegalStateException("handshake failed: " + reply);
        }
        window.acquire();
        socket.sendText("{\"handler\":\"put\",\"token\":\"put-1\",\"payload\":{\"uri\":\"meter-1\",\"name\":\"Meter\","
                + "\"iot_type\":\"iot#meter\",\"tags\":[]}}", true).join();
        awaitAllAnswers();
        if (acknowledged.getAndSet(0) != 1) {
            throw new IllegalStateException("the put of the benchmark's device was refused");
        }
    }

    /** @return acknowledged events per second for {@code events} events, all answered */
    private double round(int events) throws Exception {
        long okBefore = acknowledged.get();
        long refusedBefore = refused.get();
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            window.acquire();
            // the JDK WebSocket allows one outstanding send: join() before the next; answers flow meanwhile
            socket.sendText("{\"handler\":\"event\",\"token\":\"e" + i + EVENT_BODY, true).join();
        }
        awaitAllAnswers();
        long elapsed = System.nanoTime() - start;
        long ok = acknowledged.get() - okBefore;
        if (ok != events || refused.get() != refusedBefore) {
            throw new IllegalStateException(ok + " of " + events + " events acknowledged");
        }
        return events / (elapsed / 1e9);
    }

    private void awaitAllAnswers() throws InterruptedException {
        if (!window.tryAcquire(WINDOW, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("answers missing after 30 s");
        }
        window.release(WINDOW);
    }
}
