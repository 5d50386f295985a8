/**
 * The WebSocket transport SPI: the one place where the client meets a WebSocket library. A transport bundle
 * ({@code connector.transport.tyrus}, {@code connector.transport.jdk}, or your own) implements
 * {@link org.sepl.connector.api.transport.WebSocketTransport} and registers it as an OSGi service with a
 * {@link org.sepl.connector.api.transport.WebSocketTransport#NAME name} and a {@code service.ranking}; the client uses
 * the highest-ranked one, or the one its configuration names, and moves to another when it goes. Without OSGi the
 * client builder finds the transports on the class path with {@link java.util.ServiceLoader}.
 * <p>
 * The contract is written in the javadoc of each type; {@code connector.testkit}'s {@code WebSocketTransportContract}
 * checks an implementation against it.
 *
 * This package has no dependency beyond the JDK and the OSGi annotations.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sepl.connector.api.transport;
