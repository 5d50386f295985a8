/**
 * Public API of the SEPL connector: what a gateway bundle codes against.
 *
 * <ul>
 * <li>{@link org.sepl.connector.api.Device}: a gateway-local device and its platform hash.</li>
 * <li>{@link org.sepl.connector.api.DeviceManager}: the SPI a device store implements
 * (in memory, SQLite, or your own).</li>
 * <li>{@link org.sepl.connector.api.ConnectorClient}: the client service that connects to the platform;
 * events, command responses, device changes, {@code receive()}.</li>
 * <li>{@link org.sepl.connector.api.CommandHandler} and {@link org.sepl.connector.api.ConnectionListener}:
 * whiteboard services the client calls.</li>
 * <li>Without OSGi: {@link org.sepl.connector.api.ConnectorClient#builder()}, a
 * {@link org.sepl.connector.api.ConnectorClientBuilder} that builds a
 * {@link org.sepl.connector.api.StandaloneConnectorClient} (start, close, handlers and listeners), and
 * {@link org.sepl.connector.api.GatewayIdStore}.</li>
 * </ul>
 *
 * This package has no dependency beyond the JDK and the OSGi annotations.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.sepl.connector.api;
