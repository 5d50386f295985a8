package org.sepl.connector.itests.soak;

import java.time.Duration;
import java.util.List;

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
    private final ReportLines reports;
    private final PacedLoop loop;

    EventStreamer(ConnectorClient client, List<String> devices, int life, int perSecond, ReportLines reports) {
        this.client = client;
        this.devices = List.copyOf(devices);
        this.life = life;
        this.reports = reports;
        loop = new PacedLoop("soak-events", Duration.ofSeconds(1).dividedBy(perSecond), this::send);
    }

    void start() {
        loop.start();
    }

    /** Stops after the event being sent; returns once no more will be. */
    void stop() throws InterruptedException {
        loop.stop();
    }

    private void send(long n) {
        String id = life + "-" + n;
        Delivery d = client.sendEvent(devices.get((int) (n % devices.size())), SERVICE, id, null);
        d.stored().thenRun(() -> reports.report(Report.STORED, id));
    }
}
