package org.sepl.connector.api.transport;

import java.io.IOException;
import java.net.URI;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A WebSocket client implementation, as the connector client uses it: a factory of {@link Connection}s that owns the
 * resources they share (I/O threads, the library's container, HTTP clients). One instance serves any number of
 * connections, of any number of clients, concurrently.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li><b>Resources.</b> Creating an instance is cheap and starts no thread (the client builder instantiates every
 * transport on the class path to choose one). Resources are created at the first {@link #connect}; they are bounded
 * (a small, fixed number of named daemon threads, whatever the number of connections) and ended by
 * {@link #close()}.</li>
 * <li><b>Connect</b> blocks the calling thread until the WebSocket is open, at most
 * {@link ConnectionOptions#handshakeTimeout()} (plus a grace of at most a second), and then returns an open
 * connection, or throws {@link IOException} with a message that says why in words (refused, timed out, unknown host,
 * TLS failure, the HTTP status of a refused upgrade), never leaving a connection or thread behind.</li>
 * <li><b>Per-connection options</b> ({@link ConnectionOptions}) never leak into another connection: TLS context (host
 * names always verified), incoming message limit, handshake timeout, proxy.</li>
 * <li><b>Listener calls</b> come from the transport's I/O threads; {@code onText} and {@code onPong} in the order the
 * frames arrived, never concurrently for one connection; {@link Listener#onClosed} exactly once per connection that
 * {@code connect} returned, after every {@code onText} of it, whoever closed it and however (a close frame, a
 * dropped TCP connection, a message over the limit, {@link Connection#close}, {@link #close()}).</li>
 * <li><b>Sends</b> never block the caller on the network; frames leave in the order {@link Connection#send} was
 * called (from any threads, as serialised by the caller); a frame that cannot be written is reported once to its
 * failure callback. A peer that reads slowly only delays frames: none is lost, reordered or duplicated.</li>
 * </ul>
 * Register an implementation as an OSGi service with the property {@value #NAME} and a {@code service.ranking}
 * (stock: {@code tyrus} 20, {@code jdk} 10); without OSGi, name it in
 * {@code META-INF/services/org.sepl.connector.api.transport.WebSocketTransport}.
 */
@ConsumerType
public interface WebSocketTransport extends AutoCloseable {

    /** Service property: the transport's {@link #name()}, which a client configuration may ask for. */
    String NAME = "connector.transport.name";

    /** Callbacks of one connection, implemented by the client. They never block. */
    @ConsumerType
    interface Listener {
        /** A complete text message arrived (its fragments joined). */
        void onText(String text);

        /** A pong arrived. */
        void onPong();

        /**
         * The connection is gone, for whatever reason; called exactly once, after the last {@link #onText}.
         *
         * @param code   the close code received or made up: 1000 normal, 1001 going away, 1006 dropped without a close
         *               frame, 1009 a message over {@link ConnectionOptions#maxMessageBytes()}, 1011 an error
         * @param reason for humans (may be empty), never a secret
         */
        void onClosed(int code, String reason);
    }

    /** One open connection. Every method is thread-safe and returns without waiting for the network. */
    @ConsumerType
    interface Connection {
        /**
         * Queues a text frame for sending; frames leave in call order.
         *
         * @param onFailure called once, on a transport thread, if this frame will not be written (connection closed,
         *                  write failed); not called for a frame written
         */
        void send(String text, java.util.function.Consumer<Throwable> onFailure);

        /** Sends a ping; the pong arrives as {@link Listener#onPong()}. */
        void ping();

        /**
         * Starts the close handshake with this code and reason and ends the connection: at once if the peer does not
         * answer within a second. Frames not yet written fail. {@link Listener#onClosed} follows (once). Idempotent.
         */
        void close(int code, String reason);
    }

    /** @return this transport's name, e.g. {@code tyrus} or {@code jdk}: lower case, no spaces */
    String name();

    /**
     * The default {@code service.ranking} of this transport's OSGi service, and what the plain-Java builder uses to
     * choose among the transports on the class path (the highest wins).
     */
    default int ranking() {
        return 0;
    }

    /**
     * Opens a connection.
     *
     * @param uri      {@code ws://} or {@code wss://}
     * @param options  this connection's options
     * @param listener its callbacks
     * @return the open connection
     * @throws IOException           if it cannot be opened within {@link ConnectionOptions#handshakeTimeout()}; the
     *                               message says why, for humans
     * @throws IllegalStateException if this transport is closed
     */
    Connection connect(URI uri, ConnectionOptions options, Listener listener) throws IOException;

    /**
     * Closes every connection still open (their listeners are told, code 1001) and ends this transport's threads.
     * Later {@link #connect} calls fail. Idempotent.
     */
    @Override
    void close();
}
