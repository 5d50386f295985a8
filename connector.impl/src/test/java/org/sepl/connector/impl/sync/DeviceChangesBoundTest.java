package org.sepl.connector.impl.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.WireCodec;

/** Device changes waiting for a held-up changes lane are bounded; one beyond fails at once. */
class DeviceChangesBoundTest {

    @Test
    void changesBeyondTheBoundFailAtOnceWithWindowFull() throws Exception {
        ExecutorService lane = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        lane.execute(() -> {
            try {
                release.await(30, TimeUnit.SECONDS); // a hand-over to a device manager that hangs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            DeviceChangePublisher publisher = new DeviceChangePublisher(new WireCodec(), new RequestTracker(10, 3), lane);
            List<CompletableFuture<Response>> waiting = new ArrayList<>();
            for (int i = 0; i < DeviceChangePublisher.MAX_UNSENT; i++) {
                waiting.add(publisher.put(new Device("d-" + i, "t", "n"), Duration.ofSeconds(1)));
            }
            assertEquals(DeviceChangePublisher.MAX_UNSENT, publisher.unsent());
            CompletableFuture<Response> beyond = publisher.put(new Device("one-more", "t", "n"), Duration.ofSeconds(1));
            ConnectorException e = assertInstanceOf(ConnectorException.class,
                    assertThrows(CompletionException.class, beyond::join).getCause());
            assertEquals(Reason.WINDOW_FULL, e.reason());
            assertTrue(e.getMessage().contains("the next synchronisation publishes it"), e.getMessage());
            assertFalse(waiting.get(0).isDone());

            release.countDown(); // the lane moves: not connected, so each fails with NOT_CONNECTED, none is lost
            for (CompletableFuture<Response> w : waiting) {
                ConnectorException n = assertInstanceOf(ConnectorException.class,
                        assertThrows(CompletionException.class, w::join).getCause());
                assertEquals(Reason.NOT_CONNECTED, n.reason());
            }
            assertEquals(0, publisher.unsent());
        } finally {
            release.countDown();
            lane.shutdownNow();
        }
    }
}
