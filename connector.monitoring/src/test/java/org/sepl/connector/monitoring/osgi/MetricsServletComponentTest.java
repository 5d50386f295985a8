package org.sepl.connector.monitoring.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.sepl.connector.monitoring.PrometheusText;
import org.sepl.connector.testkit.PrometheusTextParser;
import org.sepl.connector.testkit.RecordingClient;

/** The whiteboard servlet's answer, with a stand-in request and response (no servlet container). */
class MetricsServletComponentTest {

    @Test
    void getAnswersThePrometheusTextOfTheClients() throws Exception {
        MetricsServletComponent servlet = new MetricsServletComponent();
        RecordingClient client = new RecordingClient();
        servlet.addClient(client, Map.of("connector.config.pid", "org.sepl.connector.client", "host", "h", "port", 1));
        Map<String, Object> response = new HashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        servlet.doGet(stub(HttpServletRequest.class, Map.of()), response(response, body));

        assertEquals(200, response.get("setStatus"));
        assertEquals(PrometheusText.CONTENT_TYPE, response.get("setContentType"));
        String text = body.toString(StandardCharsets.UTF_8);
        assertEquals(body.size(), response.get("setContentLength"));
        assertEquals(3.0, PrometheusTextParser.parse(text).get("sepl_connector_outbox_depth")
                .sample("client", "org.sepl.connector.client").orElseThrow().value(), text);

        servlet.removeClient(client);
        body.reset();
        servlet.doGet(stub(HttpServletRequest.class, Map.of()), response(response, body));
        assertEquals("", body.toString(StandardCharsets.UTF_8));
    }

    private static HttpServletResponse response(Map<String, Object> calls, ByteArrayOutputStream body) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(MetricsServletComponentTest.class.getClassLoader(),
                new Class<?>[] { HttpServletResponse.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getOutputStream")) {
                        return out;
                    }
                    if (args != null && args.length == 1) {
                        calls.put(method.getName(), args[0]);
                    }
                    return null;
                });
    }

    private static <T> T stub(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(MetricsServletComponentTest.class.getClassLoader(),
                new Class<?>[] { type }, (proxy, method, args) -> answers.get(method.getName())));
    }
}
