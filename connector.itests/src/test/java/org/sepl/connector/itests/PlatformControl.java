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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The in-framework test's view of the platform emulator, which runs in the test JVM outside the framework
 * ({@link PlatformBridge}): a small client of the emulator's HTTP control (routes in platform-emulator/README.md).
 * Blocking except {@link #command}; one instance per test.
 */
final class PlatformControl {

    /** System property (set by {@link PlatformBridge}) holding the control's base URI. */
    static final String CONTROL_URI_PROPERTY = "itest.platform.control";
    /** System property holding the emulator's WebSocket port. */
    static final String PORT_PROPERTY = "itest.platform.port";

    /** How long the emulator waits for the gateway's answer to a command. */
    private static final int COMMAND_TIMEOUT_SECONDS = 15;

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

    /** @return the ids of the devices the platform has bound to gateway {@code gatewayId}; empty if unknown */
    List<String> devicesOf(String gatewayId) {
        List<String> ids = new ArrayList<>();
        gateway(gatewayId).ifPresent(
                g -> g.getAsJsonArray("devices").forEach(d -> ids.add(d.getAsJsonObject().get("uri").getAsString())));
        return ids;
    }

    /** @return the platform account that owns gateway {@code gatewayId}, if the platform knows the gateway */
    Optional<String> ownerOf(String gatewayId) {
        return gateway(gatewayId).map(g -> g.get("user").getAsString());
    }

    private Optional<JsonObject> gateway(String gatewayId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("gateways/" + encode(gatewayId))));
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(ok(response).getAsJsonObject());
    }

    /** @return how many requests of this handler ({@code clear}, {@code put}, {@code commit}, ...) the platform got */
    long requests(String handler) {
        return ok(send(HttpRequest.newBuilder(base.resolve("requests")))).getAsJsonObject().get(handler).getAsLong();
    }

    /**
     * @return every event the platform received, oldest first: objects with gatewayId, deviceUri, serviceUri, data,
     *         metadata, status
     */
    JsonArray events() {
        return ok(send(HttpRequest.newBuilder(base.resolve("events")))).getAsJsonArray();
    }

    /** @return the data of every event of the gateway the platform accepted (200) */
    java.util.Set<String> acceptedEventData(String gatewayId) {
        java.util.Set<String> data = new java.util.HashSet<>();
        for (JsonElement e : events()) {
            JsonObject event = e.getAsJsonObject();
            if (gatewayId.equals(event.get("gatewayId").getAsString()) && event.get("status").getAsInt() == 200) {
                data.add(event.get("data").getAsString());
            }
        }
        return data;
    }

    /**
     * Sends a command to the device; the emulator waits at most 15 s for the gateway's answer.
     *
     * @return the future answer's payload (the command's fields with the answer's protocol_parts); completes
     *         exceptionally if the platform reports no answer or no connection listening to the device
     */
    CompletableFuture<JsonObject> command(String deviceId, String serviceId, String data) {
        JsonObject body = new JsonObject();
        body.addProperty("device", deviceId);
        body.addProperty("service", serviceId);
        body.addProperty("data", data);
        body.addProperty("timeoutSeconds", COMMAND_TIMEOUT_SECONDS);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("commands"))
                .timeout(Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS + 5))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> ok(response).getAsJsonObject().getAsJsonObject("payload"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("platform control request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonElement ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": "
                    + response.statusCode() + " " + response.body());
        }
        return JsonParser.parseString(response.body());
    }

    /** A path segment: URLEncoder's form encoding, with spaces as %20. */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
