package org.sepl.connector.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sepl.connector.testkit.PrometheusTextParser;
import org.sepl.connector.testkit.PrometheusTextParser.Family;

class PrometheusTextTest {

    private static final String P = PrometheusText.PREFIX;

    @Test
    void twoClientsParseAsPrometheusTextWithTheirFigures() {
        String text = PrometheusText.of(List.of(new ClientReading("org.sepl.connector.client~a", "platform:8080",
                Statuses.full()), new ClientReading("org.sepl.connector.client~b", "", Statuses.bare())));
        Map<String, Family> families = PrometheusTextParser.parse(text);

        Family depth = families.get(P + "outbox_depth");
        assertEquals("gauge", depth.type());
        assertEquals(11.0, depth.sample("client", "org.sepl.connector.client~a").orElseThrow().value());
        assertEquals(1, depth.samples().size(), "client b has no outbox: no sample\n" + text);

        Family refused = families.get(P + "ledger_refused_total");
        assertEquals("counter", refused.type());
        assertEquals(3.0, refused.sample("client", "org.sepl.connector.client~a", "reason", "full").orElseThrow().value());
        assertEquals(0.0, refused.sample("client", "org.sepl.connector.client~b", "reason", "full").orElseThrow().value());

        Family roundTrip = families.get(P + "request_round_trip_seconds");
        assertEquals("summary", roundTrip.type());
        assertEquals(0.009, roundTrip.sample("client", "org.sepl.connector.client~a", "quantile", "0.99").orElseThrow()
                .value());
        assertTrue(roundTrip.samples().stream().anyMatch(s -> s.name().equals(P + "request_round_trip_seconds_count")
                && s.value() == 1000), text);
        assertTrue(roundTrip.samples().stream().anyMatch(s -> s.name().equals(P + "request_round_trip_seconds_sum")
                && s.value() == 2.5), text);

        Family state = families.get(P + "state");
        assertEquals(1.0, state.sample("client", "org.sepl.connector.client~b", "state", "disconnected").orElseThrow()
                .value());
        assertEquals(0.0, state.sample("client", "org.sepl.connector.client~b", "state", "ready").orElseThrow().value());

        Family info = families.get(P + "client_info");
        assertEquals("gw-42", info.sample("client", "org.sepl.connector.client~a").orElseThrow().labels()
                .get("gateway_id"));
        assertEquals("platform:8080", info.sample("client", "org.sepl.connector.client~a").orElseThrow().labels()
                .get("platform"));
        assertEquals("Messages in the outbox, not yet settled", depth.help());
        assertEquals(3.0, families.get(P + "reconnects_total").sample("client", "org.sepl.connector.client~a")
                .orElseThrow().value());
    }

    @Test
    void labelValuesAreEscapedAndReadBackAsGiven() {
        String hostile = "a\"b\\c\nd}e,f=\"g";
        Map<String, Family> families = PrometheusTextParser.parse(PrometheusText.of(List.of(
                new ClientReading(hostile, "h\"ost:1", Statuses.full()))));
        assertEquals(hostile, families.get(P + "ready").samples().get(0).labels().get("client"));
        assertEquals("h\"ost:1", families.get(P + "client_info").samples().get(0).labels().get("platform"));
    }

    @Test
    void noClientIsAnEmptyPage() {
        assertEquals("", PrometheusText.of(List.of()));
        assertTrue(PrometheusTextParser.parse("").isEmpty());
    }

    @Test
    void valuesAreWrittenAsPrometheusReadsThem() {
        assertEquals("12", PrometheusText.format(12L));
        assertEquals("0.5", PrometheusText.format(0.5));
        assertEquals("NaN", PrometheusText.format(Double.NaN));
        assertEquals("+Inf", PrometheusText.format(Double.POSITIVE_INFINITY));
        assertEquals("1.0E-4", PrometheusText.format(0.0001));
        assertEquals(1.0E-4, PrometheusTextParser.parse("# TYPE x gauge\nx 1.0E-4\n").get("x").samples().get(0).value());
        assertEquals("a\\\\b\\nc", PrometheusText.escapeHelp("a\\b\nc"));
        assertEquals("x\\\"y\\\\z\\n", PrometheusText.escapeLabel("x\"y\\z\n"));
    }

    @Test
    void theParserRefusesBadOrAmbiguousText() {
        for (String bad : List.of("x 1\n", "# TYPE x gauge\nx{a=b} 1\n", "# TYPE x gauge\nx one\n",
                "# TYPE x gauge\nx 1\nx 2\n", "# TYPE x gauge\n# TYPE x gauge\n", "# TYPE x gauge\nx{a=\"\\q\"} 1\n",
                "# TYPE x gauge\n# TYPE y gauge\ny 1\nx 1\n", "# TYPE 9x gauge\n")) {
            try {
                PrometheusTextParser.parse(bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("line "), e.getMessage());
                continue;
            }
            throw new AssertionError("accepted: " + bad);
        }
    }
}
