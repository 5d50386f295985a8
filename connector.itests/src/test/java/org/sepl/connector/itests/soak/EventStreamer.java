package org.sepl.connector.itests.soak;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.itests.soak.SoakProtocol.Report;

/**
 * Streams events at a steady rate, round robin over the soak's meters, whatever the link does (they wait in the
 * outbox); reports each one stored. An event's data is its id, {@code LIFE-N}: unique across the gateway's processes.
 */
final class EventStreamer {

    /** The service of every soak event. */
    static final String SERVICE = "reading";

    private final ConnectorClient client;
    private final List<String> devices;
    private final int life;
    private final int perSecond;
    private final ReportLines reports;
    private final Thread thread;
    private volatile boolean running = true;

    EventStreamer(ConnectorClient client, List<String> devices, int life, int perSecond, ReportLines reports) {
        this.client = client;
        this.devices = List.copyOf(devices);
        this.life = life;
        this.perSecond = perSecond;
        this.reports = reports;
        thread = new Thread(this::stream, "soak-events");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops after the event being sent; returns once no more will be. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }

    private void stream() {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        for (long n = 0; running; n++) {
            long wait = start + n * periodNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing, not waiting for a condition
            }
            String id = life + "-" + n;
            Delivery d = client.sendEvent(devices.get((int) (n % devices.size())), SERVICE, id, null);
            d.stored().thenRun(() -> reports.report(Report.STORED, id));
        }
    }
}
