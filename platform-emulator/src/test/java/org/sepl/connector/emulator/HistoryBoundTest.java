package org.sepl.connector.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The emulator's logs keep the most recent entries only, however long a soak test runs. */
class HistoryBoundTest {

    @Test
    void eventsBeyondTheHistoryForgetTheOldest() {
        History history = new History(3);
        for (int i = 0; i < 10; i++) {
            history.event(new PlatformEmulator.Event("gw", "meter-1", "reading", i, null, 200));
        }
        List<PlatformEmulator.Event> kept = history.events();
        assertEquals(3, kept.size());
        assertEquals(List.of(7, 8, 9), kept.stream().map(PlatformEmulator.Event::data).toList());
        assertEquals(10, history.eventsSince(0, 100).next(), "the sequence goes on");
    }
}
