package org.sepl.connector.impl.transport;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The WebSocket underneath the client, reduced to what the protocol needs, so that the client's logic does not
 * depend on a WebSocket library.
 */
public interface WebSocketTransport {

    /** Callbacks of one connection. They run on the transport's I/O threads and must not block. */
    interface Listener {
        void onText(String text);

        void onPong();

        /** The connection is gone (closed by either side, or failed); called at most once. */
        void onClosed(int code, String reason);
    }

    /** One open connection. All methods are thread-safe and do not block on the network. */
    interface Connection {
        /** Sends a text frame; {@code onFailure} is called (on an I/O thread) if it cannot be sent. */
        void send(String text, Consumer<Throwable> onFailure);

        void ping();

        /** Starts a close handshake with this code and reason. */
        void close(int code, String reason);
    }

    /**
     * Opens a connection.
     *
     * @throws IOException if it cannot be opened within {@code timeout}
     */
    Connection connect(URI uri, Listener listener, Duration timeout) throws IOException;

    /** Releases the transport's resources (threads); no connection may be open any more. */
    void shutdown();
}
