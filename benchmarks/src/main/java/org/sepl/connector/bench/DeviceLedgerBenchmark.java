package org.sepl.connector.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sepl.connector.api.Device;
import org.sepl.connector.impl.sync.DeviceLedger;

/**
 * The client's own cost of one runtime device change, without the network and the emulator: the ledger update and
 * the new gateway hash (what {@code ClientBenchmark.addWithManyDevices} adds on top of two round trips).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar DeviceLedgerBenchmark</pre>
 */
@State(Scope.Benchmark)
public class DeviceLedgerBenchmark {

    @Param({"100", "20000"})
    int devices;
    DeviceLedger ledger;
    long n;

    @Setup(Level.Trial)
    public void fill() {
        ledger = new DeviceLedger();
        for (int i = 0; i < devices; i++) {
            ledger.put(new Device("device-" + i, "iot#sensor", "Sensor " + i));
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String changeAndHash() {
        ledger.put(new Device("changing", "iot#sensor", "Changing " + (++n)));
        return ledger.gatewayHash();
    }
}
