package org.sepl.connector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sepl.connector.api.Device;
import org.sepl.connector.store.sqlite.SqliteDeviceManager;

/**
 * The SQLite device manager with 10,000 devices: added in one {@code addAll}, added one by one (a durable
 * transaction each), updated one by one, listed. Each invocation starts from a fresh database (or one holding the
 * 10,000 devices, for update and list).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SqliteStoreBenchmark -f 1 -wi 2 -i 5</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SqliteStoreBenchmark {

    static final int DEVICES = 10_000;

    Path dir;
    SqliteDeviceManager empty;
    SqliteDeviceManager full;
    List<Device> devices;

    @Setup(Level.Invocation)
    public void open() throws IOException {
        dir = Files.createTempDirectory("sqlite-bench");
        devices = new ArrayList<>(DEVICES);
        for (int i = 0; i < DEVICES; i++) {
            Device d = new Device("device-" + i, "iot#sensor", "Sensor " + i);
            d.addTag("room", "r" + (i % 50));
            d.addTag("floor", Integer.toString(i % 4));
            devices.add(d);
        }
        empty = SqliteDeviceManager.open(dir.resolve("empty.db"));
        full = SqliteDeviceManager.open(dir.resolve("full.db"));
        full.addAll(devices);
    }

    @TearDown(Level.Invocation)
    public void close() throws IOException {
        empty.close();
        full.close();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public int addAllTenThousand() {
        return empty.addAll(devices);
    }

    @Benchmark
    public int addTenThousandOneByOne() {
        int added = 0;
        for (Device d : devices) {
            added += empty.add(d) ? 1 : 0;
        }
        return added;
    }

    @Benchmark
    public int updateTenThousandOneByOne() {
        int updated = 0;
        for (Device d : devices) {
            d.setName(d.name() + "'");
            updated += full.update(d) ? 1 : 0;
        }
        return updated;
    }

    @Benchmark
    public Collection<Device> listTenThousand() {
        return full.devices();
    }
}
