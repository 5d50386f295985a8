package org.sepl.connector.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.StandaloneConnectorClient;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * The interactive paths against the platform as a gateway meets it: a {@link WarmPlatform} in a process of its own,
 * so the platform's work does not compete with the client's JIT and threads in one JVM. For each transport
 * ({@code -p transport=tyrus|jdk}) the client and the bare gateway over the same library ({@link BareGateway}) in
 * the same run:
 * <ul>
 * <li>{@code *CommandRoundTrip}: the platform sends a command, the gateway's handler answers, the answer reaches the
 * platform. Driven through a pipe to the platform's process; {@link #pipeOnly} is that pipe alone.</li>
 * <li>{@code *BlockingEvent}: one event and its answer, as the blocking {@code event()} waits for it.</li>
 * </ul>
 * Warmed up as {@code ClientBenchmark.commandRoundTrip}: the tail percentiles need the JIT done.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RemotePlatformBenchmark -f 1</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 5)
@Measurement(iterations = 4, time = 5)
public class RemotePlatformBenchmark {

    /** The warm platform in its own process, one per trial. */
    @State(Scope.Benchmark)
    public static class Platform {
        WarmPlatform process;

        @Setup(Level.Trial)
        public void start() throws Exception {
            process = WarmPlatform.start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            process.close();
        }
    }

    /** The client over one transport, a meter for events and a lamp whose handler answers commands. */
    @State(Scope.Benchmark)
    public static class Client {
        @Param({"tyrus", "jdk"})
        String transport;
        StandaloneConnectorClient client;

        @Setup(Level.Trial)
        public void start(Platform platform) throws Exception {
            InMemoryDeviceManager devices = new InMemoryDeviceManager();
            devices.add(new Device("meter-1", "iot#meter", "Meter"));
            devices.add(new Device("lamp-1", "iot#lamp", "Lamp"));
            client = ConnectorClient.builder().platform("127.0.0.1", platform.process.uri().getPort(), false)
                    .credentials(WarmPlatform.USER, WarmPlatform.PASSWORD).transport(transport).deviceManager(devices)
                    .commandHandler(c -> CommandResult.of("{\"on\":true}"), Map.of(CommandHandler.DEVICE_ID, "lamp-1"))
                    .start();
            if (!client.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("client not ready: " + client.status());
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            client.close();
        }
    }

    /** The bare gateway over the same library as {@link Client}'s transport; it answers commands on its I/O thread. */
    @State(Scope.Benchmark)
    public static class Bare {
        @Param({"tyrus", "jdk"})
        String transport;
        BareGateway gateway;

        @Setup(Level.Trial)
        public void start(Platform platform) throws Exception {
            gateway = BareGateway.over(transport, platform.process.uri(), WarmPlatform.USER, WarmPlatform.PASSWORD);
        }

        @TearDown(Level.Trial)
        public void stop() {
            gateway.close();
        }
    }

    @Benchmark
    public void clientCommandRoundTrip(Platform platform, Client client) throws Exception {
        platform.process.command("lamp-1");
    }

    @Benchmark
    public void bareCommandRoundTrip(Platform platform, Bare bare) throws Exception {
        platform.process.command("meter-1");
    }

    @Benchmark
    public Object clientBlockingEvent(Client client) throws Exception {
        return client.client.event("meter-1", "reading", "{\"kwh\":1.5}", null);
    }

    @Benchmark
    public void bareBlockingEvent(Bare bare) throws Exception {
        bare.gateway.sendEvent();
    }

    /** The pipe to the platform's process alone: part of both command round trips, not of the gateway's. */
    @Benchmark
    public void pipeOnly(Platform platform) throws Exception {
        platform.process.ping();
    }
}
