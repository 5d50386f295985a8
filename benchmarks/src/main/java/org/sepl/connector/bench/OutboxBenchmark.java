package org.sepl.connector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * <pre>java -jar benchmarks/target/benchmarks.jar OutboxBenchmark -f 1 -wi 3 -i 5 -w 3s -r 5s</pre>
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
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
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
