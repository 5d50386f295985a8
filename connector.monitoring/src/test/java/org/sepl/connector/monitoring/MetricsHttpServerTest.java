package org.sepl.connector.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.sepl.connector.testkit.PrometheusTextParser;

class MetricsHttpServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesThePrometheusTextOnLoopback() throws Exception {
        try (MetricsHttpServer server = MetricsHttpServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> PrometheusText.of(List.of(new ClientReading("c", "", Statuses.full()))))) {
            assertTrue(server.address().getAddress().isLoopbackAddress());
            assertTrue(server.url().matches("http://127\\.0\\.0\\.1:\\d+/metrics"), server.url());

            HttpResponse<String> page = send(server, "GET", "/metrics");
            assertEquals(200, page.statusCode());
            assertEquals(PrometheusText.CONTENT_TYPE, page.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(11.0, PrometheusTextParser.parse(page.body()).get("sepl_connector_outbox_depth").samples()
                    .get(0).value());

            HttpResponse<String> head = send(server, "HEAD", "/metrics");
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());

            HttpResponse<String> post = send(server, "POST", "/metrics");
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());

            HttpResponse<String> elsewhere = send(server, "GET", "/");
            assertEquals(404, elsewhere.statusCode());
            assertTrue(elsewhere.body().contains("/metrics"), elsewhere.body());
        }
    }

    @Test
    void aFailingPageIsA500AndTheServerGoesOn() throws Exception {
        boolean[] fail = { true };
        try (MetricsHttpServer server = MetricsHttpServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> {
                    if (fail[0]) {
                        throw new IllegalStateException("broken");
                    }
                    return "";
                })) {
            assertEquals(500, send(server, "GET", "/metrics").statusCode());
            fail[0] = false;
            assertEquals(200, send(server, "GET", "/metrics").statusCode());
        }
    }

    private HttpResponse<String> send(MetricsHttpServer server, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
