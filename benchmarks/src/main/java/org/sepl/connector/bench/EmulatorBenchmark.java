package org.sepl.connector.bench;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sepl.connector.emulator.PlatformEmulator;

/**
 * The emulator alone, driven by a bare pipelining client (the JDK's WebSocket, up to 1,000 requests unanswered):
 * acknowledged events per second. It must not be the bottleneck of {@link ClientBenchmark}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EmulatorBenchmark</pre>
 */
@State(Scope.Benchmark)
public class EmulatorBenchmark {

    static final int EVENTS_PER_INVOCATION = 20_000;
    static final int WINDOW = 1000;

    PlatformEmulator platform;
    WebSocket socket;
    final Semaphore window = new Semaphore(WINDOW);
    final AtomicInteger acknowledged = new AtomicInteger();
    final CompletableFuture<String> handshake = new CompletableFuture<>();

    @Setup(Level.Trial)
    public void start() throws Exception {
        platform = PlatformEmulator.builder().user("bench", "bench").eventHistory(0).start();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(platform.uri(), new WebSocket.Listener() {
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
                        if (frame.startsWith("{\"status\":200")) {
                            acknowledged.incrementAndGet();
                        }
                        window.release();
                    }
                }
                ws.request(1);
                return null;
            }
        }).get(5, TimeUnit.SECONDS);
        socket.sendText("{\"user\":\"bench\",\"pw\":\"bench\",\"gid\":\"\",\"token\":\"credentials\"}", true).join();
        handshake.get(5, TimeUnit.SECONDS);
        window.acquire();
        socket.sendText("{\"handler\":\"put\",\"token\":\"p\",\"payload\":{\"uri\":\"meter-1\",\"name\":\"Meter\","
                + "\"iot_type\":\"iot#meter\",\"tags\":[]}}", true).join();
        window.acquire(WINDOW); // the put's answer is in
        window.release(WINDOW);
        acknowledged.set(0);
    }

    @TearDown(Level.Trial)
    public void stop() {
        socket.abort();
        platform.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public int acknowledgedEvents() throws Exception {
        int before = acknowledged.get();
        for (int i = 0; i < EVENTS_PER_INVOCATION; i++) {
            window.acquire();
            socket.sendText("{\"handler\":\"event\",\"token\":\"e" + i + "\",\"payload\":{\"device_uri\":\"meter-1\","
                    + "\"service_uri\":\"reading\",\"value\":[{\"name\":\"metadata\",\"value\":null},"
                    + "{\"name\":\"data\",\"value\":\"{\\\"kwh\\\":1.5}\"}]}}", true).join();
        }
        window.acquire(WINDOW); // every answer is in
        window.release(WINDOW);
        int ok = acknowledged.get() - before;
        if (ok != EVENTS_PER_INVOCATION) {
            throw new IllegalStateException(ok + " of " + EVENTS_PER_INVOCATION + " acknowledged");
        }
        return ok;
    }
}
