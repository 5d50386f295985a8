package org.sepl.connector.api.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class OutboxLimitsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals(new OutboxLimits(100_000, 64L * 1024 * 1024, Duration.ofDays(1), FullPolicy.REFUSE_NEW),
                OutboxLimits.DEFAULT);
    }

    @Test
    void configurationValuesAreParsedAndBadOnesNamed() {
        assertEquals(FullPolicy.DROP_OLDEST, OutboxLimits.of(10, 100, 60, " drop_oldest ").fullPolicy());
        assertEquals("full.policy must be DROP_OLDEST or REFUSE_NEW, got 'LIFO'",
                assertThrows(IllegalArgumentException.class, () -> OutboxLimits.of(10, 100, 60, "LIFO")).getMessage());
        assertEquals("max.messages must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> OutboxLimits.of(0, 100, 60, "REFUSE_NEW")).getMessage());
        assertEquals("max.bytes must be at least 1, got -5",
                assertThrows(IllegalArgumentException.class, () -> OutboxLimits.of(1, -5, 60, "REFUSE_NEW")).getMessage());
        assertEquals("max.age.seconds must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> OutboxLimits.of(1, 5, 0, "REFUSE_NEW")).getMessage());
    }

    @Test
    void aMessageCountsItsUtf8Size() {
        assertEquals(1 + 1 + 2 + 3 + 4, OutboxMessage.event("d", "s", "é€😀").size());
    }
}
