package org.sepl.connector.impl.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectionState;

/** The state snapshot cannot be torn: close and link loss racing with every transition leave a consistent state. */
class ConnectionStatusTest {

    private static Link link() {
        return new Link(new Link.Events() {
            @Override
            public void frame(Link link, String text) {
            }

            @Override
            public void closed(Link link, String reason) {
            }
        }, null);
    }

    @Test
    void aLostLinkCannotEnterSynchronisingOrReady() {
        ConnectionStatus status = new ConnectionStatus();
        Link l = link();
        assertTrue(status.connecting());
        assertTrue(status.opened(l));
        assertTrue(status.lost(l, "gone") != null);
        assertFalse(status.enter(ConnectionState.SYNCHRONISING, l));
        assertFalse(status.enter(ConnectionState.READY, l));
        assertEquals(ConnectionState.DISCONNECTED, status.get().state());
        assertEquals("gone", status.get().lastError());
        assertNull(status.readyLink());
    }

    @Test
    void closedIsFinal() {
        ConnectionStatus status = new ConnectionStatus();
        status.close();
        assertFalse(status.connecting());
        assertFalse(status.failed("x"));
        assertEquals(ConnectionState.CLOSED, status.get().state());
    }

    @RepeatedTest(200)
    void closeAndLinkLossRacingWithTheConnectSequenceNeverTearTheSnapshot() throws Exception {
        ConnectionStatus status = new ConnectionStatus();
        Link l = link();
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<String> torn = new AtomicReference<>();
        Thread control = new Thread(() -> {
            await(go);
            if (status.connecting() && status.opened(l) && status.enter(ConnectionState.SYNCHRONISING, l)) {
                status.enter(ConnectionState.READY, l);
            }
        });
        Thread io = new Thread(() -> {
            await(go);
            status.lost(l, "link lost");
        });
        Thread closer = new Thread(() -> {
            await(go);
            status.close();
        });
        Thread reader = new Thread(() -> {
            await(go);
            boolean closedSeen = false;
            for (int i = 0; i < 2000; i++) {
                ConnectionStatus.Snapshot s = status.get();
                if (closedSeen && s.state() != ConnectionState.CLOSED) {
                    torn.set("left CLOSED: " + s);
                }
                closedSeen |= s.state() == ConnectionState.CLOSED;
                boolean linkState = s.state() == ConnectionState.SYNCHRONISING || s.state() == ConnectionState.READY;
                if (linkState && s.link() == null || s.state() == ConnectionState.DISCONNECTED && s.link() != null
                        || s.state() == ConnectionState.CLOSED && s.link() != null) {
                    torn.set("torn: " + s);
                }
            }
        });
        for (Thread t : new Thread[] {control, io, closer, reader}) {
            t.start();
        }
        go.countDown();
        for (Thread t : new Thread[] {control, io, closer, reader}) {
            t.join();
        }
        assertNull(torn.get());
        ConnectionStatus.Snapshot end = status.get();
        assertEquals(ConnectionState.CLOSED, end.state(), "close wins whatever the order: " + end);
        assertNull(end.link());
        assertFalse(status.enter(ConnectionState.READY, l));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
