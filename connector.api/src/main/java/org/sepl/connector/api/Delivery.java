package org.sepl.connector.api;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The two outcomes of sending an event or a command answer through the client's outbox
 * ({@link ConnectorClient#sendEvent}, {@link ConnectorClient#sendResponse}), reported separately.
 * <ul>
 * <li>{@link #stored()} completes normally once the outbox holds the message: from then on the client delivers it
 * (at least once), whatever the link does. It completes exceptionally with a {@link ConnectorException} if the
 * message was refused and will never be sent: {@code REFUSED} (the cause is an
 * {@link org.sepl.connector.api.outbox.OutboxRefusedException} with the
 * {@link org.sepl.connector.api.outbox.RefusalReason reason}: full, too large, closed, store failed, disk full),
 * {@code NOT_CONNECTED} (no outbox configured and the client is not ready) or {@code CLOSED}.</li>
 * <li>{@link #answered()} completes with the platform's {@link Response}: a success (2xx, settled as delivered) or a
 * final error (4xx, settled as rejected, never sent again). It has no timeout of its own; it completes
 * exceptionally if the message will never be delivered: as {@link #stored()} did when refused, {@code DROPPED} or
 * {@code EXPIRED} when the outbox discarded it, {@code CLOSED} when the client was closed before the answer came
 * (a durable outbox keeps the message for its next open).</li>
 * </ul>
 * Both stages complete on client threads, never the network thread.
 *
 * @param stored   completes when the message is stored
 * @param answered completes with the platform's answer
 * @since 1.2
 */
public record Delivery(CompletionStage<Void> stored, CompletionStage<Response> answered) {

    /** @throws NullPointerException naming the stage that is null */
    public Delivery {
        Objects.requireNonNull(stored, "stored must not be null");
        Objects.requireNonNull(answered, "answered must not be null");
    }
}
