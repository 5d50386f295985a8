package org.sepl.connector.api.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * A message an {@link Outbox} stored.
 *
 * @param id         assigned by the outbox when it stored the message: unique in that outbox for its whole life
 *                   (also across restarts of a durable one), increasing in the order messages were accepted
 * @param message    the message as appended
 * @param acceptedAt when the outbox stored it (its clock); {@link OutboxLimits#maxAge()} counts from here
 */
public record OutboxEntry(long id, OutboxMessage message, Instant acceptedAt) {

    public OutboxEntry {
        Objects.requireNonNull(message, "message must not be null");
        Objects.requireNonNull(acceptedAt, "acceptedAt must not be null");
    }
}
