package org.sepl.connector.monitoring;

import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Prometheus text at {@code http://HOST:PORT/metrics}, on the JDK's own HTTP server ({@code jdk.httpserver}):
 * no servlet container for one read-only page. One daemon thread answers, one request after the other. {@code GET} and {@code HEAD} of {@value #PATH} only; anything else is a 404 or
 * 405 that says where the metrics are. There is no authentication: bind it to loopback (the default of its users)
 * unless the network is trusted.
 */
public final class MetricsHttpServer implements AutoCloseable {

    /** Where the metrics are served. */
    public static final String PATH = "/metrics";
    private static final System.Logger LOG = System.getLogger(MetricsHttpServer.class.getName());

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<String> text;

    private MetricsHttpServer(HttpServer server, ExecutorService executor, Supplier<String> text) {
        this.server = server;
        this.executor = executor;
        this.text = text;
    }

    /**
     * Binds {@code address} (port 0: a free one) and starts serving.
     *
     * @param text the page, made at each request
     * @throws IOException if the address cannot be bound (in use, not an address of this machine)
     */
    public static MetricsHttpServer start(InetSocketAddress address, Supplier<String> text) throws IOException {
        HttpServer server = HttpServer.create(address, 8);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sepl-metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsHttpServer metrics = new MetricsHttpServer(server, executor, text);
        server.createContext("/", metrics::handle);
        server.setExecutor(executor);
        server.start();
        return metrics;
    }

    /** @return the address bound (with the port chosen when 0 was asked for) */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** @return where a scraper on this machine reaches the metrics, e.g. {@code http://127.0.0.1:9465/metrics} */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + PATH;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                reply(exchange, 404, "text/plain; charset=utf-8", "Not found: the metrics are at " + PATH + "\n", true);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", "Only GET and HEAD: the metrics are read-only\n", true);
                return;
            }
            String body;
            try {
                body = text.get();
            } catch (RuntimeException e) {
                LOG.log(WARNING, "Cannot make the metrics page: " + e);
                reply(exchange, 500, "text/plain; charset=utf-8", "The metrics could not be read; see the gateway's "
                        + "log\n", true);
                return;
            }
            reply(exchange, 200, PrometheusText.CONTENT_TYPE, body, method.equals("GET"));
        } finally {
            exchange.close();
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body, boolean withBody)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, withBody ? (bytes.length == 0 ? -1 : bytes.length) : -1);
        if (withBody && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops serving; a request being answered is cut short. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
