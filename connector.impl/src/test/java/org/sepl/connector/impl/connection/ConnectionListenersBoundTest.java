package org.sepl.connector.impl.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.sepl.connector.impl.LogCapture;
import org.sepl.connector.impl.executor.UserCallbacks;

/** Connection events for a blocked callback lane do not pile up; the listener hears the latest state last. */
class ConnectionListenersBoundTest {

    @Test
    void eventsBeyondTheBoundAreNotQueuedButTheLatestIsToldLast() {
        List<Runnable> blockedLane = new ArrayList<>();
        ConnectionListeners listeners = new ConnectionListeners(new UserCallbacks(blockedLane::add));
        HeardCalls calls = new HeardCalls();
        List<String> heard = calls.heard;
        listeners.add(calls, () -> null);

        try (LogCapture log = new LogCapture(ConnectionListeners.class)) {
            for (int i = 0; i < 2_000; i++) { // a link that flaps for days while a listener blocks the lane
                Object link = new Object();
                listeners.connected(link, "gw-" + i);
                listeners.disconnected(link, "lost " + i);
            }
            assertEquals(ConnectionListeners.MAX_QUEUED, listeners.queued());
            assertEquals(ConnectionListeners.MAX_QUEUED, blockedLane.size());
            assertTrue(log.has(Level.WARNING, "connection listener calls wait for the callback lane"),
                    log.lines().toString());
        }
        // the listener returns: the lane runs what waited, then the newest event it missed
        for (int i = 0; i < blockedLane.size(); i++) {
            blockedLane.get(i).run();
        }
        assertEquals(ConnectionListeners.MAX_QUEUED + 1, heard.size());
        assertEquals("disconnected lost 1999", heard.get(heard.size() - 1));
        assertEquals(0, listeners.queued());
    }
}
