package org.sepl.connector.api.outbox;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the client keeps events and command answers until the platform has answered them: between the caller and
 * the wire, across outages and (for a durable outbox) restarts and crashes.
 * <p>
 * <b>Life of a message.</b> The client {@link #append appends} a message; once the returned stage completes, the
 * message is stored (a durable outbox has synced it to disk) and has an id. The client reads the oldest
 * {@link #pending} messages, sends them, and {@link #settle settles} each one when the platform answered:
 * {@link Settlement#DELIVERED} (a success) or {@link Settlement#REJECTED} (a final error answer, e.g. 4xx, that must
 * not be retried). A settled message is gone. Messages sent but not answered when the link drops stay pending and are
 * read again: delivery is <i>at least once</i>; a duplicate reaches the platform only when a message was sent and
 * its answer was lost (link dropped, or the gateway stopped before the settlement was stored).
 * <p>
 * <b>Bounds.</b> An outbox is bounded ({@link OutboxLimits}): at a bound a new message either is refused
 * ({@link FullPolicy#REFUSE_NEW}, the append fails with {@link RefusalReason#FULL}) or makes the outbox drop its oldest
 * messages ({@link FullPolicy#DROP_OLDEST}). A message older than the maximum age expires. Dropped and expired
 * messages are counted, logged (rate-limited) and reported to the {@link OutboxListener}s; nothing leaves silently.
 * <p>
 * <b>Order.</b> {@link #pending} returns messages in the order they were accepted, per device at least (the stock
 * outboxes keep one order across all devices: increasing ids).
 * <p>
 * <b>Threads.</b> Implementations are thread-safe. {@link #append} and {@link #settle} never block on I/O (a durable
 * outbox completes their stages from its writer thread, after the commit, so many concurrent appends share one disk
 * sync); stages may complete on that thread: do not block in their callbacks. {@link #pending} and {@link #status}
 * may read the disk.
 * <p>
 * Register an implementation as an OSGi service: the client uses the one with the highest {@code service.ranking}
 * (stock: in-memory 0, SQLite 10).
 */
@ConsumerType
public interface Outbox extends AutoCloseable {

    /** How the platform answered a message. */
    enum Settlement {
        /** The platform accepted it. */
        DELIVERED,
        /** The platform answered with a final error (4xx): reported to the caller, never sent again. */
        REJECTED
    }

    /**
     * What this outbox promises about a message it stored: {@code true} if it keeps it across a restart or a crash of
     * the gateway (stored on disk when {@link #append} completes, like the SQLite outbox); {@code false} if it keeps
     * it only while the process runs (memory: it survives outages of the link, not a restart). The client moves the
     * pending messages of a non-durable outbox into the next one when it is replaced, and leaves those of a durable
     * one where they are, for its next open. The default is {@code false}: an outbox that does not say is treated as
     * memory.
     *
     * @since 1.1
     */
    default boolean isDurable() {
        return false;
    }

    /**
     * Whether every operation of this outbox returns at once, with no disk or network I/O and no lock held for long
     * (memory): the client may then run them on its own latency-critical threads (the thread that learns of the
     * platform's answer, a command's thread) instead of handing them to its outbox lane. The default is
     * {@code false}: an outbox that does not say is only ever called on the lane.
     *
     * @since 1.1
     */
    default boolean isNonBlocking() {
        return false;
    }

    /**
     * Stores a message.
     *
     * @return completes with the stored entry once the message is stored (durably, for a durable outbox); or
     *         completes exceptionally with an {@link OutboxRefusedException} giving the reason (the message was not
     *         stored and will never be sent). Never null.
     * @throws NullPointerException if {@code message} is null
     */
    CompletionStage<OutboxEntry> append(OutboxMessage message);

    /**
     * The oldest pending messages with an id greater than {@code afterId}, in accepted order: a snapshot. Messages
     * already past the maximum age are not returned (they are expired). Use {@code afterId = 0} for the oldest of
     * all, then the last id read to page on (e.g. to skip what is already on the wire).
     *
     * @param max at least 1
     * @throws IllegalArgumentException if {@code max < 1}
     * @throws IllegalStateException    if the outbox is closed or cannot be read (naming the store)
     */
    List<OutboxEntry> pending(long afterId, int max);

    /**
     * Removes a message the platform answered.
     *
     * @return completes with {@code true} once the removal is stored, {@code false} if no message with this id was
     *         pending (already settled, dropped or expired); exceptionally with {@link IllegalStateException} if the
     *         outbox is closed or cannot write (the message stays pending: sent again later, a duplicate)
     * @throws NullPointerException if {@code settlement} is null
     */
    CompletionStage<Boolean> settle(long id, Settlement settlement);

    /** @return depth, bytes, oldest age and counters, now */
    OutboxStatus status();

    /** @return the limits this outbox enforces */
    OutboxLimits limits();

    /** Adds a listener for messages removed without delivery (dropped or expired). */
    void addListener(OutboxListener listener);

    /** Removes a listener added with {@link #addListener}; unknown listeners are ignored. */
    void removeListener(OutboxListener listener);

    /**
     * Closes the outbox: appends and settlements already accepted are completed (a durable outbox stores them),
     * later ones fail ({@link RefusalReason#CLOSED}). What is pending stays stored (in a durable outbox) for the next
     * open. Idempotent.
     */
    @Override
    void close();
}
