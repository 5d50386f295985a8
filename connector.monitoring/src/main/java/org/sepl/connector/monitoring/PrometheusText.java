package org.sepl.connector.monitoring;

import java.util.List;

/**
 * Writes the clients' figures ({@link ClientFigures}) in the Prometheus text exposition format 0.0.4, which every
 * Prometheus server and agent scrapes: per metric family a {@code # HELP} and a {@code # TYPE} line, then one sample
 * per client, labelled {@code client="PID"}. A figure a client's status does not have (no outbox) is left out for
 * that client. Besides the figures, {@code sepl_connector_client_info} carries each client's gateway id and
 * platform as labels (value 1), Prometheus' way of attaching text to a series.
 * <p>
 * Written here rather than with Prometheus' Java client: the text is a few lines per figure over a fixed list, while
 * the client's 1.x bundles bring their model, configuration and exposition bundles (and a package none exported in
 * 1.8, client_java#2395) into every gateway. The format's rules that matter are kept: names
 * {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label values with {@code \\}, {@code "} and line feeds escaped, help with
 * {@code \\} and line feeds escaped, values as Go's {@code ParseFloat} reads them ({@code NaN}, {@code +Inf}).
 */
public final class PrometheusText {

    /** The HTTP content type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** What every metric's name starts with. */
    public static final String PREFIX = "sepl_connector_";
    /** The label naming the client. */
    public static final String CLIENT_LABEL = "client";

    private PrometheusText() {
    }

    /** @return the figures of {@code clients} in the text format (no family when there is no client) */
    public static String of(List<ClientReading> clients) {
        if (clients.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(8192);
        family(out, "client_info", "gauge", "The client's gateway id (empty before the first handshake) and platform");
        for (ClientReading c : clients) {
            out.append(PREFIX).append("client_info{").append(CLIENT_LABEL).append("=\"").append(escapeLabel(c.client()))
                    .append("\",gateway_id=\"").append(escapeLabel(c.status().gatewayId() == null ? ""
                            : c.status().gatewayId()))
                    .append("\",platform=\"").append(escapeLabel(c.platform())).append("\"} 1\n");
        }
        String family = null;
        for (Figure figure : ClientFigures.ALL) {
            if (!figure.family().equals(family)) {
                family = figure.family();
                family(out, family, figure.type().prometheusName(), figure.help());
            }
            for (ClientReading c : clients) {
                Number value = figure.valueIn(c.status());
                if (value == null) {
                    continue;
                }
                out.append(PREFIX).append(figure.sample()).append('{').append(CLIENT_LABEL).append("=\"")
                        .append(escapeLabel(c.client())).append('"');
                if (figure.labelName() != null) {
                    out.append(',').append(figure.labelName()).append("=\"").append(escapeLabel(figure.labelValue()))
                            .append('"');
                }
                out.append("} ").append(format(value)).append('\n');
            }
        }
        return out.toString();
    }

    private static void family(StringBuilder out, String family, String type, String help) {
        out.append("# HELP ").append(PREFIX).append(family).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(PREFIX).append(family).append(' ').append(type).append('\n');
    }

    static String format(Number value) {
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        double d = value.doubleValue();
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(d);
    }

    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
