package org.sepl.connector.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link ConnectorClient} its creator owns: built with {@link ConnectorClient#builder()}, started, and closed by
 * the code that built it. (In OSGi the framework owns the client service; its users never close it.)
 *
 * <pre>{@code
 * try (StandaloneConnectorClient client = ConnectorClient.builder()...start()) {
 *     if (client.awaitReady(Duration.ofSeconds(30))) { ... }
 * }
 * }</pre>
 *
 * @since 1.3
 */
@ProviderType
public interface StandaloneConnectorClient extends ConnectorClient, AutoCloseable {

    /**
     * Starts connecting and returns at once; the client then reconnects by itself until {@link #close()}.
     * Idempotent.
     *
     * @throws IllegalStateException if the client is closed
     */
    void start();

    /**
     * Adds a command handler (the OSGi whiteboard's {@link CommandHandler} service, for plain Java).
     *
     * @param properties selection properties as described in {@link CommandHandler} (may be empty)
     */
    void addCommandHandler(CommandHandler handler, Map<String, ?> properties);

    /** Removes a handler added with {@link #addCommandHandler}; unknown handlers are ignored. */
    void removeCommandHandler(CommandHandler handler);

    /** Adds a listener; if the client is ready it is told {@link ConnectionListener#connected} at once. */
    void addConnectionListener(ConnectionListener listener);

    /** Removes a listener added with {@link #addConnectionListener}; unknown listeners are ignored. */
    void removeConnectionListener(ConnectionListener listener);

    /**
     * Closes the connection with code 1000 (first: nothing but the close reaches the platform after this starts),
     * fails pending requests with {@code CLOSED}, tells the listeners and ends every thread of this client (shared
     * threads and a given transport stay). What a durable outbox holds stays there for the next start. Idempotent.
     */
    @Override
    void close();
}
