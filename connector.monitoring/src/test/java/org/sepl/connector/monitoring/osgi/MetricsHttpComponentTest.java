package org.sepl.connector.monitoring.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sepl.connector.testkit.PrometheusTextParser;
import org.sepl.connector.testkit.RecordingClient;

class MetricsHttpComponentTest {

    @Test
    void servesTheClientsOnLoopbackByDefault() throws Exception {
        MetricsHttpComponent component = new MetricsHttpComponent();
        component.addClient(new RecordingClient(), Map.of("connector.config.pid", "pid-1"));
        component.activate(config(0, MetricsHttpComponent.DEFAULT_HOST));
        try {
            assertTrue(component.server().address().getAddress().isLoopbackAddress());
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(component.server().url())).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals(1.0, PrometheusTextParser.parse(page.body()).get("sepl_connector_ready")
                    .sample("client", "pid-1").orElseThrow().value());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aBadPortOrHostIsNamedWithItsValue() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> MetricsHttpComponent.address(config(70000, "127.0.0.1")));
        assertTrue(port.getMessage().contains("'port' = 70000") && port.getMessage().contains("1-65535"),
                port.getMessage());
        IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
                () -> MetricsHttpComponent.address(config(9465, "[::1")));
        assertTrue(host.getMessage().contains("'host' = \"[::1\""), host.getMessage());
        assertEquals("127.0.0.1", MetricsHttpComponent.address(config(1, " ")).getAddress().getHostAddress(),
                "blank: the default");
    }

    @Test
    void aPortInUseIsNamedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MetricsHttpComponent component = new MetricsHttpComponent();
            IOException e = assertThrows(IOException.class,
                    () -> component.activate(config(taken.getLocalPort(), "127.0.0.1")));
            assertTrue(e.getMessage().startsWith(MetricsHttpComponent.PID + ": cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()) && e.getMessage().contains("set another 'port'"), e.getMessage());
            component.deactivate(); // nothing to close
        }
    }

    static MetricsHttpComponent.Config config(int port, String host) {
        return new MetricsHttpComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MetricsHttpComponent.Config.class;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String host() {
                return host;
            }
        };
    }
}
