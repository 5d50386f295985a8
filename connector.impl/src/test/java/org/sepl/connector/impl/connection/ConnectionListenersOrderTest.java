package org.sepl.connector.impl.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.impl.executor.UserCallbacks;

/**
 * A listener hears a link's "disconnected" only after its "connected", even when the loss is heard (on a transport
 * thread) between the client entering READY and telling the listeners (on the control lane): ResilienceTest once saw
 * "disconnected" first.
 */
class ConnectionListenersOrderTest {

    private final HeardCalls calls = new HeardCalls();
    private final List<String> heard = calls.heard;
    private final ConnectionListeners listeners = new ConnectionListeners(new UserCallbacks(Runnable::run));

    @BeforeEach
    void listen() {
        listeners.add(calls, () -> null);
    }

    @Test
    void aLossHeardBeforeTheLinksConnectedIsToldAfterIt() {
        Object link = new Object();
        listeners.disconnected(link, "platform restarted");
        assertEquals(List.of(), heard, "held until its connected is told");
        listeners.connected(link, "gw-1");
        assertEquals(List.of("connected gw-1", "disconnected platform restarted"), heard);
    }

    @Test
    void theNextLinkIsToldInOrderToo() {
        Object first = new Object();
        Object second = new Object();
        listeners.connected(first, "gw-1");
        listeners.disconnected(first, "lost");
        listeners.disconnected(second, "lost again"); // heard before the second link's connected
        listeners.connected(second, "gw-1");
        assertEquals(List.of("connected gw-1", "disconnected lost", "connected gw-1", "disconnected lost again"), heard);
    }

    @Test
    void aLinkNeverToldConnectedIsNeverToldDisconnected() {
        listeners.disconnected(new Object(), "closed before it was told ready");
        assertEquals(List.of(), heard);
    }
}
