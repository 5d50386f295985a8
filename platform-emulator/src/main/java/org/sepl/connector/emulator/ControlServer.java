package org.sepl.connector.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * HTTP/JSON control of an emulator, for people and for tests in other processes (see README for every route).
 * Runs on the JDK's HTTP server; a few threads, because {@code POST /commands} waits for the gateway's answer.
 */
final class ControlServer implements AutoCloseable {

    /** The handlers {@code GET /requests} counts. */
    private static final java.util.List<String> REQUEST_HANDLERS = java.util.List.of("handshake", "clear", "put",
            "disconnect", "delete", "commit", "event", "response");

    private final PlatformEmulator emulator;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Gson gson = new GsonBuilder().serializeNulls().setPrettyPrinting().create();
    private final PageState page;

    /** The page's files, under this package's {@code ui/} resources; the extension gives the content type. */
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "png", "image/png", "svg", "image/svg+xml");
    private static final java.util.regex.Pattern RESOURCE_NAME = java.util.regex.Pattern.compile("[a-z0-9-]+\\.([a-z]+)");

    ControlServer(PlatformEmulator emulator, String host, int port) throws IOException {
        this.emulator = emulator;
        this.page = new PageState(emulator, new Gson());
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (java.net.BindException e) {
            throw new PortInUseException(port, PortInUseException.Server.CONTROL, e.getMessage());
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "platform-emulator-control");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::route);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
        try {
            if (method.equals("GET") && (path.isEmpty() || path.equals("/ui"))) {
                resource(exchange, "index.html");
            } else if (method.equals("GET") && path.equals("/ui/state")) {
                reply(exchange, 200, page.snapshot(longParameter(exchange, "since", 0)));
            } else if (method.equals("GET") && path.startsWith("/ui/")) {
                resource(exchange, path.substring("/ui/".length()));
            } else if (method.equals("GET") && path.equals("/commands")) {
                JsonArray commands = new JsonArray();
                emulator.commands().forEach(c -> commands.add(page.command(c)));
                reply(exchange, 200, commands);
            } else if (method.equals("GET") && path.equals("/commands/ledger")) {
                reply(exchange, 200, gson.toJsonTree(emulator.commandLedger().values()));
            } else if (method.equals("GET") && path.equals("/gateways")) {
                reply(exchange, 200, gson.toJsonTree(emulator.gateways()));
            } else if (method.equals("GET") && path.startsWith("/gateways/")) {
                String id = path.substring("/gateways/".length());
                var gateway = emulator.gateway(id);
                if (gateway.isPresent()) {
                    reply(exchange, 200, gson.toJsonTree(gateway.get()));
                } else {
                    error(exchange, 404, "no gateway " + id);
                }
            } else if (method.equals("GET") && path.equals("/events")) {
                reply(exchange, 200, gson.toJsonTree(emulator.events()));
            } else if (method.equals("GET") && path.equals("/command-responses")) {
                reply(exchange, 200, gson.toJsonTree(emulator.commandResponses()));
            } else if (method.equals("GET") && path.equals("/sessions")) {
                JsonObject o = new JsonObject();
                o.addProperty("open", emulator.openSessions());
                reply(exchange, 200, o);
            } else if (method.equals("GET") && path.equals("/requests")) {
                JsonObject o = new JsonObject(); // how many requests of each handler arrived (tests: "no re-sync")
                for (String handler : REQUEST_HANDLERS) {
                    o.addProperty(handler, emulator.requestCount(handler));
                }
                reply(exchange, 200, o);
            } else if (method.equals("POST") && path.equals("/commands")) {
                command(exchange);
            } else if (method.equals("POST") && path.equals("/sessions/close")) {
                JsonObject body = body(exchange);
                long refuse = body.has("refuseMillis") ? body.get("refuseMillis").getAsLong() : 0;
                if (refuse > 0) {
                    emulator.refuseConnections(Duration.ofMillis(refuse));
                }
                emulator.closeAllSessions();
                reply(exchange, 200, gson.toJsonTree(Map.of("closed", true)));
            } else if (method.equals("POST") && path.equals("/restart")) {
                JsonObject body = body(exchange);
                long down = body.has("refuseMillis") ? body.get("refuseMillis").getAsLong() : 0;
                emulator.restart(Duration.ofMillis(down));
                reply(exchange, 200, gson.toJsonTree(Map.of("restarted", true)));
            } else if (method.equals("GET") && path.equals("/faults")) {
                reply(exchange, 200, FaultControl.view(emulator.platform().faults()));
            } else if (method.equals("POST") && path.equals("/faults")) {
                FaultControl.arm(body(exchange), emulator.platform().faults());
                JsonObject armed = FaultControl.view(emulator.platform().faults());
                armed.addProperty("ok", true);
                reply(exchange, 200, armed);
            } else if (method.equals("DELETE") && path.equals("/faults")) {
                emulator.faults().clear();
                reply(exchange, 200, gson.toJsonTree(Map.of("ok", true)));
            } else if (method.equals("POST") && path.equals("/reset")) {
                emulator.reset();
                reply(exchange, 200, gson.toJsonTree(Map.of("ok", true)));
            } else {
                error(exchange, 404, "no route " + method + " " + path + " (see the platform-emulator README)");
            }
        } catch (IllegalArgumentException | IllegalStateException | JsonParseException | NullPointerException e) {
            error(exchange, 400, e.getMessage());
        } catch (RuntimeException e) {
            error(exchange, 500, String.valueOf(e));
        }
    }

    /** {"device": ID, "service": S, "data": D, "metadata": M, "timeoutSeconds": 10} → the gateway's answer. */
    private void command(HttpExchange exchange) throws IOException {
        JsonObject body = body(exchange);
        String device = requiredString(body, "device");
        String service = requiredString(body, "service");
        Object data = plain(body.get("data"));
        Object metadata = plain(body.get("metadata"));
        long timeout = body.has("timeoutSeconds") ? body.get("timeoutSeconds").getAsLong() : 10;
        try {
            PlatformEmulator.CommandResponse answer = emulator.sendCommand(device, service, data, metadata)
                    .get(timeout, TimeUnit.SECONDS);
            reply(exchange, 200, gson.toJsonTree(answer));
        } catch (ExecutionException e) {
            error(exchange, 409, e.getCause().getMessage());
        } catch (TimeoutException e) {
            error(exchange, 504, "no answer from the gateway within " + timeout + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 503, "interrupted");
        }
    }

    /** Serves one of the page's files; names with anything but letters, digits and dashes are not looked up. */
    private void resource(HttpExchange exchange, String name) throws IOException {
        java.util.regex.Matcher m = RESOURCE_NAME.matcher(name);
        String type = m.matches() ? CONTENT_TYPES.get(m.group(1)) : null;
        InputStream in = type == null ? null : ControlServer.class.getResourceAsStream("ui/" + name);
        if (in == null) {
            error(exchange, 404, "no page file " + name);
            return;
        }
        byte[] bytes;
        try (in) {
            bytes = in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static long longParameter(HttpExchange exchange, String name, long otherwise) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return otherwise;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                String value = pair.substring(name.length() + 1);
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("query parameter '" + name + "' must be a number, was '" + value + "'");
                }
            }
        }
        return otherwise;
    }

    private static String requiredString(JsonObject body, String field) {
        JsonElement e = body.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return e.getAsString();
    }

    /** JSON strings stay strings (the protocol's convention); anything else is sent as the JSON it is. */
    private Object plain(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        return gson.fromJson(e, Object.class);
    }

    private static JsonObject body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.isBlank()) {
                return new JsonObject();
            }
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("the request body must be a JSON object");
            }
            return e.getAsJsonObject();
        }
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        reply(exchange, status, gson.toJsonTree(Map.of("error", String.valueOf(message))));
    }

    private void reply(HttpExchange exchange, int status, JsonElement body) throws IOException {
        byte[] bytes = (gson.toJson(body) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
