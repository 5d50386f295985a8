package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The rate limit of a whole client against the emulator: events over the rate are delayed, never refused or dropped.
 * The pace is measured with the emulator's own arrival times (its control endpoint), not the sender's clock.
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
        platform = PlatformEmulator.builder().user(EmulatorFixture.USER, EmulatorFixture.PASSWORD).controlPort(0).start();
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
        ArrivalLog arrivals = new ArrivalLog(platform.controlPort());
        Await.until("all " + EVENTS + " events on the platform", Duration.ofSeconds(30),
                () -> arrivals.poll() >= EVENTS);

        for (Delivery d : deliveries) {
            CompletableFuture<Response> answered = d.answered().toCompletableFuture();
            Await.until("an answer", answered::isDone);
            assertEquals(200, answered.join().status(), "every event accepted by the platform");
            assertTrue(d.stored().toCompletableFuture().isDone() && !d.stored().toCompletableFuture().isCompletedExceptionally(),
                    "no event refused by the outbox");
        }
        assertEquals(EVENTS, arrivals.byData.size(), "each event once: " + arrivals.byData.keySet());
        assertTrue(arrivals.statuses.stream().allMatch(s -> s == 200), "the platform accepted every event");
        assertEquals(0, client.status().outbox().refused() + client.status().outbox().dropped(), "none refused or dropped");

        long first = arrivals.byData.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = arrivals.byData.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long idealMillis = Math.round((EVENTS - BURST) / AVERAGE * 1000); // the burst at once, then one per 1/AVERAGE s
        assertTrue(last - first >= idealMillis - TOLERANCE_MILLIS, "delivery took " + (last - first)
                + " ms by the emulator's arrival times; a limit of " + AVERAGE + "/s with a burst of " + BURST
                + " needs about " + idealMillis + " ms for " + EVENTS + " events");
    }

    /** Reads the emulator's received events with their arrival times, page by page ({@code GET /ui/state?since=N}). */
    private static final class ArrivalLog {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI base;
        private final Map<String, Long> byData = new TreeMap<>();
        private final List<Integer> statuses = new ArrayList<>();
        private long next;

        ArrivalLog(int controlPort) {
            base = URI.create("http://127.0.0.1:" + controlPort + "/ui/state");
        }

        /** @return events seen so far */
        int poll() {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "?since=" + next))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                JsonObject state = JsonParser.parseString(response.body()).getAsJsonObject();
                for (JsonElement e : state.getAsJsonArray("events")) {
                    JsonObject event = e.getAsJsonObject();
                    if (event.get("sequence").getAsLong() < next) {
                        continue;
                    }
                    byData.putIfAbsent(event.get("data").getAsString(), event.get("received").getAsLong());
                    statuses.add(event.get("status").getAsInt());
                }
                next = state.get("nextEvent").getAsLong();
                return byData.size();
            } catch (java.io.IOException e) {
                throw new AssertionError("emulator control request failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
