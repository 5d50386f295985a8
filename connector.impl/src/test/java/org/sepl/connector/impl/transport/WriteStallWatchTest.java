package org.sepl.connector.impl.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the transport nudges its WebSocket library's write queue: once per stall, never while writes progress. */
class WriteStallWatchTest {

    private final WriteStallWatch watch = new WriteStallWatch();

    @Test
    void noWritesNoNudge() {
        assertFalse(watch.check());
        assertFalse(watch.check());
    }

    @Test
    void aWriteJustIssuedIsNotAStallYet() {
        watch.check();
        watch.issued();
        assertFalse(watch.check(), "issued after the previous check: give it a whole period");
    }

    @Test
    void aWriteLeftWaitingForAWholePeriodIsNudgedOnce() {
        watch.issued();
        assertFalse(watch.check());
        assertTrue(watch.check(), "issued before the previous check and nothing completed since");
        assertFalse(watch.check(), "one nudge per stall: a second one would only queue behind real back-pressure");
        assertFalse(watch.check());
    }

    @Test
    void writesThatKeepCompletingAreNeverNudged() {
        for (int i = 0; i < 100; i++) {
            watch.issued();
            watch.issued();
            watch.completed(); // one always outstanding, but progress between every two checks
            assertFalse(watch.check(), "check " + i);
        }
    }

    @Test
    void aLaterStallIsNudgedAgainAfterProgress() {
        watch.issued();
        watch.check();
        assertTrue(watch.check());
        watch.completed(); // the nudge ran the queue
        watch.issued();
        assertFalse(watch.check(), "progress since the last check");
        assertTrue(watch.check(), "the new write is stuck again");
    }

    @Test
    void allWritesCompletedIsNoStall() {
        watch.issued();
        watch.check();
        watch.completed();
        assertFalse(watch.check());
        assertFalse(watch.check());
    }
}
