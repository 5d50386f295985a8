package org.sepl.connector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.DefaultConnectorClient;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.store.sqlite.SqliteOutbox;

/**
 * Issue 11's figures through the whole client, with the durable SQLite outbox ({@code synchronous=FULL}, under
 * {@code java.io.tmpdir}) and the in-process emulator:
 * <ul>
 * <li>{@code sqliteOutboxEvents}: events accepted into the outbox and delivered (the platform's 200 answer), the
 * caller keeping at most {@value ClientBenchmark#WINDOW} undelivered;</li>
 * <li>{@code replayBacklog}: {@code backlog} events stored while the platform refused the gateway, then the
 * platform lets it in: the time until every one of them is delivered (reconnect with the back-off capped at 20 ms,
 * handshake, sync, replay).</li>
 * </ul>
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ClientOutboxBenchmark -f 1 -wi 2 -i 3</pre>
 */
public class ClientOutboxBenchmark {

    static final int EVENTS_PER_INVOCATION = 10_000;
    static final String DATA = "{\"temperature\":21.5}";

    static DefaultConnectorClient client(PlatformEmulator platform, SqliteOutbox outbox) {
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        devices.add(new Device("meter-1", "iot#meter", "Meter"));
        return ClientBenchmark.client(platform, devices).outbox(outbox)
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(20)).start();
    }

    static void delete(Path dir) throws IOException {
        OutboxBenchmark.delete(dir);
    }

    @State(Scope.Benchmark)
    public static class Connected {
        Path dir;
        SqliteOutbox outbox;
        PlatformEmulator platform;
        DefaultConnectorClient client;

        @Setup(Level.Trial)
        public void start() throws Exception {
            dir = Files.createTempDirectory("client-outbox");
            outbox = SqliteOutbox.open(dir.resolve("outbox.db"), OutboxLimits.DEFAULT);
            platform = PlatformEmulator.builder().user("bench", "bench").eventHistory(1000).start();
            client = client(platform, outbox);
            ClientBenchmark.awaitReady(client);
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            client.close();
            platform.close();
            outbox.close();
            delete(dir);
        }
    }

    /** sendEvent (stored, then sent), paced by the caller's window of undelivered events; counts 200 answers. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public int sqliteOutboxEvents(Connected state) throws Exception {
        Semaphore window = new Semaphore(ClientBenchmark.WINDOW);
        AtomicInteger ok = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < EVENTS_PER_INVOCATION; i++) {
            window.acquire();
            state.client.sendEvent("meter-1", "reading", DATA, null).answered().whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else if (r.isSuccess()) {
                    ok.incrementAndGet();
                }
                window.release();
            });
        }
        if (!window.tryAcquire(ClientBenchmark.WINDOW, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("answers missing after 60 s");
        }
        if (failure.get() != null || ok.get() != EVENTS_PER_INVOCATION) {
            throw new IllegalStateException(ok.get() + " of " + EVENTS_PER_INVOCATION + " delivered", failure.get());
        }
        return ok.get();
    }

    /** Per shot: a fresh outbox with {@code backlog} events stored while the platform refused the handshake. */
    @State(Scope.Benchmark)
    public static class StoredBacklog {
        @Param({ "100000" })
        int backlog;
        Path dir;
        SqliteOutbox outbox;
        PlatformEmulator platform;
        DefaultConnectorClient client;
        List<CompletableFuture<Response>> answered;

        @Setup(Level.Trial)
        public void startPlatform() throws Exception {
            platform = PlatformEmulator.builder().user("bench", "bench").eventHistory(1000).start();
        }

        @Setup(Level.Iteration)
        public void storeBacklog() throws Exception {
            dir = Files.createTempDirectory("client-backlog");
            outbox = SqliteOutbox.open(dir.resolve("outbox.db"), OutboxLimits.DEFAULT.withMaxMessages(backlog));
            platform.faults().rejectHandshakes(true);
            client = client(platform, outbox);
            answered = new ArrayList<>(backlog);
            List<CompletableFuture<Void>> stored = new ArrayList<>(backlog);
            for (int i = 0; i < backlog; i++) {
                Delivery d = client.sendEvent("meter-1", "reading", DATA, null);
                stored.add(d.stored().toCompletableFuture());
                answered.add(d.answered().toCompletableFuture());
            }
            CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            if (client.isReady()) {
                throw new IllegalStateException("the client got in although handshakes were refused");
            }
        }

        @TearDown(Level.Iteration)
        public void closeClient() throws IOException {
            client.close();
            outbox.close();
            delete(dir);
        }

        @TearDown(Level.Trial)
        public void stopPlatform() {
            platform.close();
        }
    }

    /** From the platform letting the gateway in to the last of the stored events answered with 200. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void replayBacklog(StoredBacklog state) throws Exception {
        state.platform.faults().rejectHandshakes(false);
        CompletableFuture.allOf(state.answered.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        for (CompletableFuture<Response> f : state.answered) {
            if (!f.join().isSuccess()) {
                throw new IllegalStateException("an event was refused: " + f.join());
            }
        }
    }
}
