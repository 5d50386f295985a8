package org.sepl.connector.itests;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The in-framework test's view of the platform emulator, which runs in the test JVM outside the framework
 * ({@link PlatformBridge}): a small HTTP client of the bridge's control API. Blocking; one instance per test.
 *
 * @see PlatformBridge for the endpoints
 */
final class PlatformControl {

    /** System property (set by {@link PlatformBridge}) holding the control API's base URI. */
    static final String CONTROL_URI_PROPERTY = "itest.platform.control";
    /** System property holding the emulator's WebSocket port. */
    static final String PORT_PROPERTY = "itest.platform.port";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PlatformControl() {
        String uri = System.getProperty(CONTROL_URI_PROPERTY);
        if (uri == null) {
            throw new IllegalStateException("system property " + CONTROL_URI_PROPERTY + " not set: no platform bridge");
        }
        this.base = URI.create(uri);
    }

    /** @return the emulator's WebSocket port */
    int port() {
        return Integer.getInteger(PORT_PROPERTY);
    }

    /** @return the ids of the devices the platform has bound to gateway {@code gatewayId}; empty if none or unknown */
    List<String> devicesOf(String gatewayId) {
        JsonElement gateway = get("gateway?id=" + encode(gatewayId));
        List<String> ids = new ArrayList<>();
        if (gateway.isJsonObject()) {
            gateway.getAsJsonObject().getAsJsonArray("devices").forEach(d -> ids.add(d.getAsString()));
        }
        return ids;
    }

    /** @return every event the platform received, oldest first: objects with device, service, data, status */
    JsonArray events() {
        return get("events").getAsJsonArray();
    }

    /** @return how many requests with this handler the platform received so far */
    long requestCount(String handler) {
        return get("request-count?handler=" + encode(handler)).getAsLong();
    }

    /**
     * Sends a command to the device and waits (in the bridge, at most 15 s) for the gateway's answer.
     *
     * @return the future answer's payload (the command's fields with the answer's protocol_parts)
     */
    CompletableFuture<JsonObject> command(String deviceId, String serviceId, String data) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("command?device=" + encode(deviceId) + "&service="
                + encode(serviceId))).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(data)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("command failed: " + response.statusCode() + " " + response.body());
            }
            return JsonParser.parseString(response.body()).getAsJsonObject();
        });
    }

    private JsonElement get(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            return JsonParser.parseString(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
