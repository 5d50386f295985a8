package org.sepl.connector.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.DeliveryLedger;

class ClientFiguresTest {

    @Test
    void namesAttributesAndSeriesAreUnique() {
        Set<String> names = new HashSet<>();
        Set<String> attributes = new HashSet<>();
        Set<String> series = new HashSet<>();
        for (Figure f : ClientFigures.ALL) {
            assertTrue(names.add(f.name()), "twice: " + f.name());
            assertTrue(attributes.add(f.attribute()), "twice: " + f.attribute());
            assertTrue(series.add(f.sample() + "{" + f.labelName() + "=" + f.labelValue() + "}"), "twice: " + f);
        }
    }

    @Test
    void familiesAreTogetherAndCountersEndInTotal() {
        Set<String> done = new HashSet<>();
        String current = null;
        for (Figure f : ClientFigures.ALL) {
            if (!f.family().equals(current)) {
                assertTrue(done.add(f.family()), "family " + f.family() + " is split");
                current = f.family();
            }
            if (f.type() == Figure.Type.COUNTER) {
                assertTrue(f.sample().endsWith("_total"), f.sample());
            }
        }
    }

    @Test
    void everyFigureReadsAFullStatusAndABareOneWithoutFailing() {
        for (Figure f : ClientFigures.ALL) {
            Number full = f.valueIn(Statuses.full());
            assertTrue(full != null, f.name() + " has no value in a full status");
            f.valueIn(Statuses.bare()); // may be null (no outbox), must not throw
            f.valueIn(new ClientStatus(ConnectionState.CONNECTING, "", 0, 0, null, null)); // the 1.1 constructor
        }
    }

    @Test
    void valuesComeFromTheStatus() {
        ClientStatus s = Statuses.full();
        assertEquals(11L, value("outbox_depth", s));
        assertEquals(1234L, value("outbox_bytes", s));
        assertEquals(1.5, value("outbox_oldest_age_seconds", s));
        assertEquals(600.0, value("outbox_full_in_seconds", s));
        assertEquals(3L, value("ledger_refused_full", s));
        assertEquals(2L, value("ledger_refused_too_large", s));
        assertEquals(0L, value("ledger_refused_disk_full", s));
        assertEquals(1L, value("ready", s));
        assertEquals(1L, value("state_ready", s));
        assertEquals(0L, value("state_disconnected", s));
        assertEquals(3L, value("reconnects", s));
        assertEquals(9L, value("connect_failures", s));
        assertEquals(0.0015, value("request_round_trip_p50_seconds", s));
        assertEquals(2.5, value("request_round_trip_sum_seconds", s));
        assertEquals(1000L, value("requests_answered", s));
        assertEquals(1_796_443_200.25, value("state_since_timestamp_seconds", s));
        assertNull(value("outbox_depth", Statuses.bare()), "no outbox, no depth");
        assertNull(value("request_round_trip_p99_seconds", Statuses.bare()), "no answers, no percentile");
        assertEquals(DeliveryLedger.Refusal.values().length,
                ClientFigures.ALL.stream().filter(f -> f.family().equals("ledger_refused_total")).count(),
                "one series per refusal reason");
    }

    @Test
    void aBadNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Figure("Outbox-Depth",
                "x", Figure.Type.GAUGE, "a", "a", null, null, true, s -> 1));
        assertTrue(e.getMessage().contains("'Outbox-Depth'"), e.getMessage());
        assertFalse(ClientFigures.ALL.isEmpty());
    }

    private static Object value(String name, ClientStatus s) {
        return ClientFigures.ALL.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no figure " + name)).valueIn(s);
    }
}
