package org.sepl.connector.bench;

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
import org.sepl.connector.emulator.PlatformEmulator;

/**
 * The emulator alone, driven by the bare pipelining client ({@link BareGateway}: up to 1,000 requests unanswered)
 * over the JDK's WebSocket, the baseline of {@link ClientBenchmark}'s ratios, or over Tyrus
 * ({@code -p library=tyrus}): acknowledged events per second. It must not be the bottleneck of
 * {@link ClientBenchmark}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EmulatorBenchmark</pre>
 */
@State(Scope.Benchmark)
public class EmulatorBenchmark {

    static final int EVENTS_PER_INVOCATION = 20_000;

    @Param({"jdk", "tyrus"})
    String library;
    PlatformEmulator platform;
    BareGateway gateway;

    @Setup(Level.Trial)
    public void start() throws Exception {
        platform = PlatformEmulator.builder().user("bench", "bench").eventHistory(0).start();
        gateway = BareGateway.over(library, platform.uri(), "bench", "bench");
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
        platform.close();
    }

    /**
     * Platform command → the bare gateway answers on its I/O thread → the platform has the answer. Warmed up as
     * {@code ClientBenchmark.commandRoundTrip}, whose floor it is.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 6, time = 5)
    @Measurement(iterations = 4, time = 5)
    public Object commandRoundTrip() throws Exception {
        return platform.sendCommand("meter-1", "set_on", "{\"on\":true}", null).get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public void acknowledgedEvents() throws Exception {
        gateway.sendEvents(EVENTS_PER_INVOCATION);
    }
}
