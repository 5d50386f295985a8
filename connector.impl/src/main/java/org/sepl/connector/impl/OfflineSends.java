package org.sepl.connector.impl;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Response;

/**
 * The one seam where events and command answers that cannot go on the wire are handed over: a store-and-forward
 * outbox plugs in here. The client calls it
 * <ul>
 * <li>{@link #whileNotReady} for a message the caller hands over while the client is not ready (not connected,
 * synchronising, or closed), on the caller's thread;</li>
 * <li>{@link #lostInFlight} for a message that was sent but whose link dropped before the platform answered, on
 * the client's callback thread; the platform may or may not have received it.</li>
 * </ul>
 * In both cases the stage returned is the caller's result. The default, {@link #FAIL_FAST}, fails the message at
 * once with the client's exception ({@code NOT_CONNECTED}, {@code CLOSED} or {@code CONNECTION_LOST}). A buffer
 * keeps the message, returns a stage that completes when it is finally delivered, and sends the kept messages with
 * the client's {@code eventAsync}/{@code respondAsync} once a {@link org.sepl.connector.api.ConnectionListener}
 * hears {@code connected}.
 */
@FunctionalInterface
public interface OfflineSends {

    /** A message that could not be sent. {@code command} is set for an answer, {@code deviceId}/{@code serviceId} for an event. */
    record Message(String deviceId, String serviceId, Command command, String data, String metadata, Duration timeout) {

        public boolean isEvent() {
            return command == null;
        }
    }

    OfflineSends FAIL_FAST = (message, notReady) -> CompletableFuture.failedFuture(notReady);

    /**
     * @param notReady the exception the caller gets if nothing else is done ({@code NOT_CONNECTED} or {@code CLOSED})
     * @return the caller's result; must not be null
     */
    CompletionStage<Response> whileNotReady(Message message, ConnectorException notReady);

    /**
     * A message was sent, and its link dropped before the answer came. The default treats it like a message handed
     * over while not ready (a buffer thus sends it again: at least once).
     *
     * @param lost the exception the caller gets if nothing else is done ({@code CONNECTION_LOST} or {@code CLOSED})
     * @return the caller's result; must not be null
     */
    default CompletionStage<Response> lostInFlight(Message message, ConnectorException lost) {
        return whileNotReady(message, lost);
    }
}
