package org.sepl.connector.api.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendCadenceTest {

    /** Waits, on the monotonic clock, until more than the stream gap has passed since {@code sinceNanos}. */
    private static void pastTheGap(long sinceNanos) {
        while (System.nanoTime() - sinceNanos <= SendCadence.STREAM_GAP_NANOS) {
            Thread.onSpinWait();
        }
    }

    @Test
    void theFirstFrameIsIsolatedAndOneRightBehindItIsPartOfAStream() {
        SendCadence cadence = new SendCadence();
        assertFalse(cadence.partOfStream(), "the first frame of a connection");
        assertTrue(cadence.partOfStream(), "a frame right behind another");
        assertTrue(cadence.partOfStream());
    }

    @Test
    void aFrameAfterAPauseIsIsolatedAgain() {
        SendCadence cadence = new SendCadence();
        cadence.partOfStream();
        long sent = System.nanoTime();
        pastTheGap(sent);
        assertFalse(cadence.partOfStream(), "a frame after more than the stream gap");
    }
}
