package org.sepl.connector.monitoring.osgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.monitoring.MonitoredClients;
import org.sepl.connector.monitoring.PrometheusText;

/**
 * The Prometheus text as a servlet on the OSGi HTTP Whiteboard (Karaf: feature {@code http-whiteboard}, served by
 * Pax Web at {@code http://HOST:8181/metrics}; in Felix: Felix HTTP). Opt-in: registered only while configuration
 * {@value #PID} exists. A delayed service: SCR registers it by name and loads this class only when a whiteboard asks
 * for the servlet, so a framework without the servlet API (which this bundle imports optionally) never loads it. The
 * whiteboard's own port, address and security apply (Karaf: {@code etc/org.ops4j.pax.web.cfg}).
 */
@Component(service = Servlet.class, configurationPid = MetricsServletComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = { "osgi.http.whiteboard.servlet.name=sepl-connector-metrics",
                "osgi.http.whiteboard.servlet.pattern=" + MetricsServletComponent.DEFAULT_PATH })
@Designate(ocd = MetricsServletComponent.Config.class)
public final class MetricsServletComponent extends HttpServlet {

    /** The configuration that turns the servlet on. */
    public static final String PID = "org.sepl.connector.metrics.whiteboard";
    /** The servlet's path unless configured otherwise. */
    public static final String DEFAULT_PATH = "/metrics";
    private static final long serialVersionUID = 1L;

    @ObjectClassDefinition(name = "SEPL connector Prometheus servlet",
            description = "Serves the connector clients' figures in the Prometheus text format on the HTTP Whiteboard.")
    public @interface Config {
        @AttributeDefinition(name = "Path", description = "The servlet's path on the HTTP Whiteboard")
        String osgi_http_whiteboard_servlet_pattern() default DEFAULT_PATH;
    }

    private final transient MonitoredClients clients = new MonitoredClients();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addClient(ConnectorClient client, Map<String, Object> properties) {
        clients.add(client, MonitoredClients.of(client, properties));
    }

    void removeClient(ConnectorClient client) {
        clients.remove(client);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = clients.prometheusText().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(PrometheusText.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
