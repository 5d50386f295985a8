package org.sepl.connector.itests.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.itests.soak.SoakProtocol.Report;

/**
 * Samples the gateway process every period: heap in use right after a full GC ({@code System.gc()}, then the
 * memory bean), live threads, open file descriptors ({@code /proc/self/fd}; -1 where there is none), and the
 * client's requests in flight and outbox depth (what the heap holds for the moment). One timer thread of its own,
 * counted among the threads like any other.
 */
final class ResourceSampler implements AutoCloseable {

    private static final Path FDS = Path.of("/proc/self/fd");

    private final ConnectorClient client;
    private final ReportLines reports;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-sampler");
        t.setDaemon(true);
        return t;
    });

    ResourceSampler(ConnectorClient client, ReportLines reports) {
        this.client = client;
        this.reports = reports;
    }

    void start(long periodMillis) {
        timer.scheduleAtFixedRate(this::sample, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        ClientStatus status = client.status();
        long depth = status.outbox() == null ? -1 : status.outbox().depth();
        reports.report(Report.SAMPLE, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), heap, threads,
                openFileDescriptors(), status.requestsInFlight(), depth);
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count() - 1; // the listing's own descriptor
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
