package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * The rate limit of a whole client against the emulator: events over the rate are delayed, never refused or dropped.
 * The pace is measured with the emulator's own arrival times, not the sender's clock.
 */
class RateLimitTest {

    private static final double AVERAGE = 200;
    private static final int BURST = 20;
    private static final int EVENTS = 300;
    /**
     * Arrival times are epoch milliseconds, and the first arrivals may be a little late (first frames, JIT) while the
     * bucket keeps its pace from the reservations: this much below the ideal spread is still a limited rate.
     */
    private static final long TOLERANCE_MILLIS = 100;

    private PlatformEmulator platform;
    private DefaultConnectorClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aRateLimitedClientDeliversEveryEventAtTheConfiguredPace() throws Exception {
        platform = PlatformEmulator.builder().user(EmulatorFixture.USER, EmulatorFixture.PASSWORD).start();
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        devices.add(new Device("meter-1", "iot#meter", "Meter"));
        client = new ConnectorClientBuilder()
                .platform("127.0.0.1", platform.port(), false)
                .credentials(EmulatorFixture.USER, EmulatorFixture.PASSWORD)
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .deviceManager(devices)
                .rateLimit(AVERAGE, BURST)
                .start();
        Await.until("client ready", client::isReady);

        List<Delivery> deliveries = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            deliveries.add(client.sendEvent("meter-1", "reading", Integer.toString(i), null));
        }
        Await.until("all " + EVENTS + " events on the platform", Duration.ofSeconds(30),
                () -> platform.events().size() >= EVENTS);
        for (Delivery d : deliveries) {
            CompletableFuture<Response> answered = d.answered().toCompletableFuture();
            Await.until("an answer", answered::isDone);
            assertEquals(200, answered.join().status(), "every event accepted by the platform");
            assertTrue(d.stored().toCompletableFuture().isDone() && !d.stored().toCompletableFuture().isCompletedExceptionally(),
                    "no event refused by the outbox");
        }
        List<PlatformEmulator.Event> events = platform.events();
        List<Long> arrivals = platform.eventArrivalMillis(); // all answered: no event comes between the two calls
        assertEquals(events.size(), arrivals.size());
        Map<String, Long> arrivalByData = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            assertEquals(200, events.get(i).status(), "the platform accepted every event");
            arrivalByData.putIfAbsent(String.valueOf(events.get(i).data()), arrivals.get(i));
        }
        assertEquals(EVENTS, events.size(), "each event once");
        assertEquals(EVENTS, arrivalByData.size(), "each event once: " + arrivalByData.keySet());
        assertEquals(0, client.status().outbox().refused() + client.status().outbox().dropped(), "none refused or dropped");

        long first = arrivalByData.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = arrivalByData.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long idealMillis = Math.round((EVENTS - BURST) / AVERAGE * 1000); // the burst at once, then one per 1/AVERAGE s
        assertTrue(last - first >= idealMillis - TOLERANCE_MILLIS, "delivery took " + (last - first)
                + " ms by the emulator's arrival times; a limit of " + AVERAGE + "/s with a burst of " + BURST
                + " needs about " + idealMillis + " ms for " + EVENTS + " events");
    }
}
