package org.sepl.connector.demo;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;

/**
 * A simulated energy meter: on activation it adds its device to the client, then sends a {@value
 * DemoDevices#METER_SERVICE} event with the current reading every {@link MeterConfiguration#intervalSeconds()}
 * seconds while the client is ready, and logs the platform's answer.
 * <p>
 * It never blocks the client's threads: events go out with {@code eventAsync} from the meter's own scheduler
 * thread, and answers are only logged.
 */
@Component(configurationPid = MeterConfiguration.PID, service = ConnectionListener.class)
@Designate(ocd = MeterConfiguration.class)
public final class DemoMeter implements ConnectionListener {

    private static final System.Logger LOG = System.getLogger(DemoMeter.class.getName());

    private final ConnectorClient client;
    private final Device device;
    private final DevicePublisher publisher;
    private final ScheduledExecutorService scheduler;
    // Only touched by the scheduler thread.
    private double energyKwh = 1000.0;

    @Activate
    public DemoMeter(@Reference ConnectorClient client, MeterConfiguration config) {
        if (config.intervalSeconds() <= 0) {
            throw new IllegalArgumentException("intervalSeconds must be positive, was " + config.intervalSeconds());
        }
        this.client = client;
        this.device = DemoDevices.meter(config.deviceId());
        this.publisher = new DevicePublisher(client, device);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sepl-demo-meter");
            thread.setDaemon(true);
            return thread;
        });
        publisher.publish();
        scheduler.scheduleWithFixedDelay(this::report, config.intervalSeconds(), config.intervalSeconds(),
                TimeUnit.SECONDS);
        LOG.log(System.Logger.Level.INFO, "Demo meter " + device.id() + " reports every "
                + config.intervalSeconds() + " s");
    }

    @Deactivate
    void deactivate() {
        shutdown(scheduler);
    }

    @Override
    public void connected(String gatewayId) {
        publisher.publish();
    }

    @Override
    public void disconnected(String reason) {
        // Nothing to do: report() skips readings until the client is ready again.
    }

    private void report() {
        energyKwh += ThreadLocalRandom.current().nextDouble(0.01, 0.05);
        int powerWatts = 200 + ThreadLocalRandom.current().nextInt(300);
        if (!client.isReady()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Client not ready (" + client.state() + "), reading skipped");
            return;
        }
        String reading = String.format(Locale.ROOT, "{\"energy_kwh\":%.3f,\"power_w\":%d,\"time\":\"%s\"}",
                energyKwh, powerWatts, Instant.now());
        client.eventAsync(device.id(), DemoDevices.METER_SERVICE, reading, null).whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.WARNING, "Event of " + device.id() + " got no answer: "
                        + failure.getMessage());
            } else if (response.isSuccess()) {
                LOG.log(System.Logger.Level.INFO, "Event " + DemoDevices.METER_SERVICE + " of " + device.id()
                        + " acknowledged: " + response.status() + " " + reading);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Event of " + device.id() + " refused: " + response.status()
                        + " " + response.payloadText());
            }
        });
    }

    static void shutdown(ExecutorService executor) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "Demo thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
