package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;

/**
 * The threading model's promise to callers (connector.impl/README.md, "Threads"): their code runs on the client's
 * callback lane, never on the lane that sends and settles. A continuation, or a listener, that blocks for seconds
 * delays the next callbacks only: other events are still stored, sent, answered and settled meanwhile, and a blocking
 * {@code event()} elsewhere still gets its answer.
 */
class CallbackIsolationTest {

    private EmulatorFixture fixture;
    private DefaultConnectorClient client;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void ready() throws Exception {
        fixture = new EmulatorFixture();
        fixture.devices.add(new Device("meter-1", "iot#meter", "Meter"));
        client = fixture.readyClient();
    }

    @AfterEach
    void close() {
        release.countDown();
        client.close();
        fixture.close();
    }

    private void blockUntilReleased() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aContinuationThatBlocksForSecondsDelaysNoDeliveryOrSettlement() throws Exception {
        CompletableFuture<String> blockedOn = new CompletableFuture<>();
        // the first answer comes late, so that the continuation is attached before it (attached to a completed
        // stage, it would run on this thread instead of the callback lane)
        fixture.platform.faults().delayNext("event", 1, Duration.ofMillis(500));
        client.sendEvent("meter-1", "reading", "first", null).answered().thenRun(() -> {
            blockedOn.complete(Thread.currentThread().getName());
            blockUntilReleased(); // a caller's slow continuation, on the callback lane
        });
        String callbackThread = blockedOn.get(10, TimeUnit.SECONDS);

        List<Delivery> more = IntStream.range(0, 200)
                .mapToObj(i -> client.sendEvent("meter-1", "reading", "more-" + i, null)).toList();
        // delivered and settled while the continuation still blocks
        Await.until("200 more events delivered and settled", () -> client.status().outbox().delivered() >= 201
                && client.status().outbox().depth() == 0);
        Await.until("the platform has them all", () -> fixture.platform.events().size() >= 201);
        // the client's own waits are not held up either
        Response blocking = client.event("meter-1", "reading", "blocking", null, Duration.ofSeconds(5));
        assertEquals(200, blocking.status());
        assertEquals(1, release.getCount(), "all of it happened while the continuation was blocked");
        assertFalse(more.get(199).answered().toCompletableFuture().isDone(),
                "callers' stages queue behind the blocked continuation: it holds only the callback lane");

        release.countDown();
        assertEquals(200, more.get(199).answered().toCompletableFuture().get(10, TimeUnit.SECONDS).status());
        assertTrue(callbackThread.startsWith("sepl-connector"), callbackThread);
        assertNotEquals(Thread.currentThread().getName(), callbackThread);
    }

    @Test
    void aListenerThatBlocksDelaysNoReconnectOrDelivery() throws Exception {
        CountDownLatch told = new CountDownLatch(1);
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(String gatewayId) {
            }

            @Override
            public void disconnected(String reason) {
                told.countDown();
                blockUntilReleased(); // a slow listener
            }
        });
        fixture.platform.closeAllSessions();
        assertTrue(told.await(10, TimeUnit.SECONDS));
        Await.until("ready again while the listener blocks", client::isReady);
        assertEquals(200, client.event("meter-1", "reading", "after", null, Duration.ofSeconds(5)).status());
        assertEquals(1, release.getCount());
    }
}
