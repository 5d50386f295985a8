package org.sepl.connector.impl;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Response;

/**
 * What the client does with an event or a command answer it cannot send because it is not ready (not connected,
 * or synchronising). The client calls it on the caller's thread; the stage it returns is the caller's result.
 * <p>
 * The default, {@link #FAIL_FAST}, fails the message at once with the client's {@code NOT_CONNECTED} (or
 * {@code CLOSED}) exception. A durable buffer plugs in here: keep the message, return a stage that completes when
 * it is finally sent, and send the kept messages with the client's {@code eventAsync}/{@code respondAsync} when a
 * {@link org.sepl.connector.api.ConnectionListener} hears {@code connected}.
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
}
