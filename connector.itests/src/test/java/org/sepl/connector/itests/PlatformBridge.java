package org.sepl.connector.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ops4j.pax.exam.Option;
import org.sepl.connector.emulator.PlatformEmulator;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Runs the platform emulator in the test JVM, outside the OSGi framework, and lets the in-framework tests drive it
 * through a small HTTP control API on 127.0.0.1 ({@link PlatformControl} is its client):
 * <ul>
 * <li>{@code GET /gateway?id=GID}: {@code {"hash": ..., "devices": [ids]}}, or {@code null} if unknown;</li>
 * <li>{@code GET /events}: {@code [{"device", "service", "data", "metadata", "status"}]}, oldest first;</li>
 * <li>{@code GET /request-count?handler=H}: a number;</li>
 * <li>{@code POST /command?device=D&service=S} with the data as body: sends a command, waits for the answer and
 * returns its payload (504 if none within 15 s).</li>
 * </ul>
 * Started from {@code @Configuration} (never from a static field: the test class is loaded again inside the
 * framework); it lives as long as the test JVM. Both are local test fixtures: nothing is secret.
 */
final class PlatformBridge {

    static final String USER = "alice";
    static final String PASSWORD = "secret";
    static final String OTHER_USER = "bob";
    static final String OTHER_PASSWORD = "hunter2";

    private final PlatformEmulator emulator;
    private final HttpServer control;
    private final Gson gson = new Gson();

    private PlatformBridge() throws IOException {
        emulator = PlatformEmulator.builder().port(0).user(USER, PASSWORD).user(OTHER_USER, OTHER_PASSWORD).start();
        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Commands block until the gateway answers; give them their own threads.
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "itest-platform-control");
            t.setDaemon(true);
            return t;
        });
        control.setExecutor(executor);
        control.createContext("/gateway", exchange -> reply(exchange, () -> gateway(query(exchange).get("id"))));
        control.createContext("/events", exchange -> reply(exchange, this::events));
        control.createContext("/request-count",
                exchange -> reply(exchange, () -> gson.toJsonTree(emulator.requestCount(query(exchange).get("handler")))));
        control.createContext("/command", exchange -> reply(exchange, () -> command(exchange)));
        control.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "itest-platform-shutdown"));
    }

    /**
     * Starts an emulator and its control API.
     *
     * @return the options that tell the framework (system properties) where both are
     */
    static Option start() {
        try {
            PlatformBridge bridge = new PlatformBridge();
            URI controlUri = URI.create("http://127.0.0.1:" + bridge.control.getAddress().getPort() + "/");
            return composite(systemProperty(PlatformControl.CONTROL_URI_PROPERTY).value(controlUri.toString()),
                    systemProperty(PlatformControl.PORT_PROPERTY).value(Integer.toString(bridge.emulator.port())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the platform emulator", e);
        }
    }

    private Object gateway(String id) {
        return emulator.gateway(id).map(g -> {
            JsonObject json = new JsonObject();
            json.addProperty("hash", g.hash());
            JsonArray devices = new JsonArray();
            g.devices().forEach(d -> devices.add(d.uri()));
            json.add("devices", devices);
            return (Object) json;
        }).orElse(null);
    }

    private Object events() {
        JsonArray events = new JsonArray();
        for (PlatformEmulator.Event e : emulator.events()) {
            JsonObject json = new JsonObject();
            json.addProperty("device", e.deviceUri());
            json.addProperty("service", e.serviceUri());
            json.add("data", gson.toJsonTree(e.data()));
            json.add("metadata", gson.toJsonTree(e.metadata()));
            json.addProperty("status", e.status());
            events.add(json);
        }
        return events;
    }

    private Object command(HttpExchange exchange) throws Exception {
        Map<String, String> query = query(exchange);
        String data = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return gson.toJsonTree(emulator.sendCommand(query.get("device"), query.get("service"), data, null)
                    .get(15, TimeUnit.SECONDS).payload());
        } catch (TimeoutException e) {
            throw new HttpFailure(504, "no answer to the command within 15 s");
        }
    }

    private interface Handler {
        Object handle() throws Exception;
    }

    private static final class HttpFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpFailure(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void reply(HttpExchange exchange, Handler handler) throws IOException {
        int status;
        String body;
        try {
            body = gson.toJson(handler.handle());
            status = 200;
        } catch (HttpFailure e) {
            status = e.status;
            body = e.getMessage();
        } catch (Exception e) {
            status = 500;
            body = e.toString();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private void close() {
        control.stop(0);
        emulator.close();
    }
}
