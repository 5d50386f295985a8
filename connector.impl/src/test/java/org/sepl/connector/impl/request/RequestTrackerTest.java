package org.sepl.connector.impl.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.impl.wire.WireCodec.ResponseFrame;

class RequestTrackerTest {

    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<String> unresponsive = new CopyOnWriteArrayList<>();
    private final RequestTracker tracker = tracker();

    private RequestTracker tracker() {
        RequestTracker t = new RequestTracker(2, 3);
        t.whenUnresponsive((channel, why) -> unresponsive.add(why));
        return t;
    }
    private final RequestTracker.Channel channel = tracker.open(new WebSocketTransport.Connection() {
        @Override
        public void send(String text, Consumer<Throwable> onFailure) {
            sent.add(text);
        }

        @Override
        public void ping() {
        }

        @Override
        public void close(int code, String reason) {
        }
    });

    private static Reason reasonOf(CompletableFuture<Response> f) {
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        return assertInstanceOf(ConnectorException.class, e.getCause()).reason();
    }

    @Test
    void tokensAreUniqueAndAnswersMatchByToken() throws Exception {
        CompletableFuture<Response> a = tracker.trySend(channel, "event", t -> t, Duration.ofSeconds(5));
        CompletableFuture<Response> b = tracker.trySend(channel, "event", t -> t, Duration.ofSeconds(5));
        assertFalse(sent.get(0).equals(sent.get(1)));
        assertTrue(tracker.answer(new ResponseFrame(sent.get(1), 400, "string", "no")));
        assertFalse(tracker.answer(new ResponseFrame(sent.get(1), 200, "string", "again")), "answered once only");
        assertEquals(400, b.get().status());
        assertFalse(a.isDone());
        assertEquals(1, tracker.inFlight());
    }

    @Test
    void aFullWindowRefusesAtOnceAndSendsNothing() {
        tracker.trySend(channel, "event", t -> t, Duration.ofSeconds(5));
        tracker.trySend(channel, "event", t -> t, Duration.ofSeconds(5));
        CompletableFuture<Response> third = tracker.trySend(channel, "event", t -> t, Duration.ofSeconds(5));
        assertEquals(Reason.WINDOW_FULL, reasonOf(third));
        assertEquals(2, sent.size());
    }

    @Test
    void overdueRequestsTimeOutAndFreeTheirSlot() {
        CompletableFuture<Response> a = tracker.trySend(channel, "event", t -> t, Duration.ofNanos(1));
        tracker.sweep();
        assertEquals(Reason.TIMEOUT, reasonOf(a));
        assertEquals(0, tracker.inFlight());
    }

    @Test
    void aLostLinkFailsItsRequests() throws Exception {
        CompletableFuture<Response> event = tracker.trySend(channel, "event", t -> t, Duration.ofSeconds(5));
        CompletableFuture<Response> put = tracker.send(channel, "put", t -> t, Duration.ofSeconds(5));
        channel.close(Reason.CONNECTION_LOST, "gone");
        assertEquals(Reason.CONNECTION_LOST, reasonOf(event), "the outbox sends it again, not the tracker");
        assertEquals(Reason.CONNECTION_LOST, reasonOf(put));
        assertEquals(0, tracker.inFlight());
        CompletableFuture<Response> late = tracker.send(channel, "put", t -> t, Duration.ofSeconds(5));
        assertEquals(Reason.CONNECTION_LOST, reasonOf(late), "a request registered after the loss is not left hanging");
    }

    @Test
    void consecutiveTimeoutsWithNothingReceivedMarkTheLinkUnresponsive() {
        for (int i = 0; i < 2; i++) {
            tracker.trySend(channel, "event", t -> t, Duration.ofNanos(1));
            tracker.sweep();
        }
        tracker.received(); // something arrived: the count starts again
        for (int i = 0; i < 2; i++) {
            tracker.trySend(channel, "event", t -> t, Duration.ofNanos(1));
            tracker.sweep();
        }
        assertTrue(unresponsive.isEmpty(), unresponsive.toString());
        tracker.trySend(channel, "event", t -> t, Duration.ofNanos(1));
        tracker.sweep();
        assertEquals(1, unresponsive.size());
    }
}
