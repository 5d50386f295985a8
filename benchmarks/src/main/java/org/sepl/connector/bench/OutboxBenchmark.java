package org.sepl.connector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

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
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.store.memory.InMemoryOutbox;
import org.sepl.connector.store.sqlite.SqliteOutbox;

/**
 * The outboxes as a client drives them: append an event, and once it is reported stored, settle it as delivered
 * (as if the platform answered at once), with up to {@code window} events between append and settled. An event
 * counts when its settlement is stored too. For the SQLite outbox every report is after a commit with
 * {@code synchronous=FULL}: the figure is durable throughput with group commit, on the machine's disk (the
 * database is under {@code java.io.tmpdir}).
 *
 * <p>
 * The replay read path: {@code sqliteReadBacklog} reads a backlog of {@code backlog} stored events with
 * {@link Outbox#pending} in pages of {@code page} (what the client does after a sync, before it sends them);
 * {@code sqliteReplayBacklog} reads them the same way and settles each one as delivered (the store's share of a
 * replay: everything but the network), one shot per freshly filled backlog. Both use the one {@link Backlog} state.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar OutboxBenchmark -f 1 -wi 3 -i 5 -w 3s -r 5s</pre>
 * <pre>java -jar benchmarks/target/benchmarks.jar 'OutboxBenchmark.sqlite.*Backlog' -f 1 -wi 2 -i 5</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OutboxBenchmark {

    static final int EVENTS_PER_INVOCATION = 10_000;
    /** An event as the client would keep it: about 150 bytes of JSON. */
    static final String PAYLOAD = "{\"device_url\":\"sensor-17\",\"service_url\":\"measure\",\"value\":{\"protocol_parts\":"
            + "[{\"name\":\"data\",\"value\":\"{\\\"temperature\\\":21.5}\"}]}}";

    @State(Scope.Benchmark)
    public static class Sqlite {
        @Param({ "1000" })
        int window;
        Path dir;
        SqliteOutbox outbox;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("outbox-bench");
            outbox = SqliteOutbox.open(dir.resolve("outbox.db"), OutboxLimits.DEFAULT);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            outbox.close();
            delete(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class Memory {
        @Param({ "1000" })
        int window;
        InMemoryOutbox outbox;

        @Setup(Level.Trial)
        public void open() {
            outbox = new InMemoryOutbox(OutboxLimits.DEFAULT);
        }

        @TearDown(Level.Trial)
        public void close() {
            outbox.close();
        }
    }

    /**
     * A SQLite outbox holding {@code backlog} stored events, topped up before each iteration (the read leaves it
     * full, a replay empties it).
     */
    @State(Scope.Benchmark)
    public static class Backlog {
        @Param({ "100000" })
        int backlog;
        @Param({ "1000" })
        int page;
        Path dir;
        SqliteOutbox outbox;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("outbox-backlog");
            outbox = SqliteOutbox.open(dir.resolve("outbox.db"), OutboxLimits.DEFAULT.withMaxMessages(backlog));
        }

        @Setup(Level.Iteration)
        public void refill() throws Exception {
            fill(outbox, backlog - (int) outbox.status().depth());
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            outbox.close();
            delete(dir);
        }
    }

    /** Appends {@code n} events, pipelined, and waits until all are stored. */
    static void fill(Outbox outbox, int n) throws Exception {
        List<CompletableFuture<OutboxEntry>> stored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            stored.add(outbox.append(OutboxMessage.event("sensor-" + (i & 15), "measure", PAYLOAD)).toCompletableFuture());
        }
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Reads the whole backlog in pages: the time of one full read (100,000 events by default). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long sqliteReadBacklog(Backlog b) {
        long after = 0;
        int read = 0;
        for (List<OutboxEntry> entries; !(entries = b.outbox.pending(after, b.page)).isEmpty();) {
            read += entries.size();
            after = entries.get(entries.size() - 1).id();
        }
        if (read != b.backlog) {
            throw new IllegalStateException("read " + read + " of " + b.backlog);
        }
        return after;
    }

    /** Reads the whole backlog in pages and settles each event as delivered; one shot empties it. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void sqliteReplayBacklog(Backlog b) throws Exception {
        long after = 0;
        List<CompletableFuture<Boolean>> settled = new ArrayList<>(b.backlog);
        for (List<OutboxEntry> entries; !(entries = b.outbox.pending(after, b.page)).isEmpty();) {
            for (OutboxEntry e : entries) {
                settled.add(b.outbox.settle(e.id(), Outbox.Settlement.DELIVERED).toCompletableFuture());
            }
            after = entries.get(entries.size() - 1).id();
        }
        CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        if (settled.size() != b.backlog || b.outbox.status().depth() != 0) {
            throw new IllegalStateException("replayed " + settled.size() + " of " + b.backlog + ": " + b.outbox.status());
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public void sqliteAppendAndConfirm(Sqlite s) throws Exception {
        appendAndConfirm(s.outbox, s.window);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public void memoryAppendAndConfirm(Memory s) throws Exception {
        appendAndConfirm(s.outbox, s.window);
    }

    static void appendAndConfirm(Outbox outbox, int window) throws Exception {
        Semaphore inFlight = new Semaphore(window);
        CountDownLatch done = new CountDownLatch(EVENTS_PER_INVOCATION);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < EVENTS_PER_INVOCATION; i++) {
            inFlight.acquire();
            outbox.append(OutboxMessage.event("sensor-" + (i & 15), "measure", PAYLOAD))
                    .thenCompose(stored -> outbox.settle(stored.id(), Outbox.Settlement.DELIVERED))
                    .whenComplete((settled, error) -> {
                        if (error != null || !settled) {
                            failure.compareAndSet(null, error != null ? error : new IllegalStateException("not pending"));
                        }
                        inFlight.release();
                        done.countDown();
                    });
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("events not confirmed within 60 s: " + outbox.status());
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an append or settlement failed", failure.get());
        }
    }
}
