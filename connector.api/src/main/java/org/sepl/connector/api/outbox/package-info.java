/**
 * The outbox SPI: where the client keeps events and command answers between the caller and the wire, so that
 * nothing a gateway accepted is lost while the platform is unreachable or the gateway restarts.
 *
 * <ul>
 * <li>{@link org.sepl.connector.api.outbox.Outbox}: the store a client drives: {@code append}, {@code pending},
 * {@code settle}, {@code status}, {@code close}. Stock implementations: the bounded in-memory one
 * ({@code connector.store.memory}, the default) and the durable SQLite one ({@code connector.store.sqlite}).</li>
 * <li>{@link org.sepl.connector.api.outbox.OutboxMessage} (what is appended) and
 * {@link org.sepl.connector.api.outbox.OutboxEntry} (what was stored: id, message, time accepted).</li>
 * <li>{@link org.sepl.connector.api.outbox.OutboxLimits}: capacity in messages and bytes, maximum age, and the
 * {@link org.sepl.connector.api.outbox.FullPolicy}.</li>
 * <li>{@link org.sepl.connector.api.outbox.OutboxRefusedException} with its
 * {@link org.sepl.connector.api.outbox.RefusalReason}: why a message was not stored;
 * {@link org.sepl.connector.api.outbox.OutboxListener}: messages removed without delivery (dropped, expired).</li>
 * </ul>
 *
 * This package has no dependency beyond the JDK and the OSGi annotations.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.sepl.connector.api.outbox;
