package org.sepl.connector.api.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** On a clock the test moves, so that a busy machine cannot stretch "right behind" past the gap. */
class SendCadenceTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SendCadence cadence = new SendCadence(now::get);

    @Test
    void theFirstFrameIsIsolatedAndOneRightBehindItIsPartOfAStream() {
        assertFalse(cadence.partOfStream(), "the first frame of a connection");
        now.addAndGet(10_000);
        assertTrue(cadence.partOfStream(), "a frame 10 µs behind another");
        now.addAndGet(SendCadence.STREAM_GAP_NANOS - 1);
        assertTrue(cadence.partOfStream(), "a frame just within the gap");
    }

    @Test
    void aFrameAfterAPauseIsIsolatedAgain() {
        cadence.partOfStream();
        now.addAndGet(SendCadence.STREAM_GAP_NANOS);
        assertFalse(cadence.partOfStream(), "a frame the stream gap after the last");
    }

    @Test
    void streamingIsTrueRightAfterASendAndFalseAfterThePauseAndRecordsNothing() {
        assertFalse(cadence.streaming(), "nothing sent yet");
        cadence.partOfStream();
        now.addAndGet(10_000);
        assertTrue(cadence.streaming(), "10 µs after a send");
        now.addAndGet(SendCadence.STREAM_GAP_NANOS);
        assertFalse(cadence.streaming(), "after the stream gap");
        assertFalse(cadence.partOfStream(), "streaming() recorded no send: this one is isolated");
    }
}
