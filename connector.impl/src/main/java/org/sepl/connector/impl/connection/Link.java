package org.sepl.connector.impl.connection;

import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.impl.request.RequestTracker;

/**
 * One WebSocket connection and what is known about it. Callbacks of a connection that is no longer the current one
 * are ignored by the lifecycle (it compares links by identity).
 */
public final class Link implements WebSocketTransport.Listener {

    /** What a link reports to. */
    public interface Events {
        void frame(Link link, String text);

        void closed(Link link, String reason);
    }

    private final Events events;
    private final WebSocketTransport transport;
    private volatile WebSocketTransport.Connection connection;
    private volatile RequestTracker.Channel channel;
    volatile long lastReceived = System.nanoTime();
    volatile long pingSent;
    volatile boolean gone;
    volatile boolean handshaken;
    /** Whether this link was ever ready: its loss is then a lost connection, not a failed attempt. */
    volatile boolean wasReady;

    Link(Events events, WebSocketTransport transport) {
        this.events = events;
        this.transport = transport;
    }

    /** @return the transport this link was opened over */
    public WebSocketTransport transport() {
        return transport;
    }

    void attach(WebSocketTransport.Connection c, RequestTracker.Channel ch) {
        connection = c;
        channel = ch;
    }

    public WebSocketTransport.Connection connection() {
        return connection;
    }

    public RequestTracker.Channel channel() {
        return channel;
    }

    @Override
    public void onText(String text) {
        lastReceived = System.nanoTime();
        pingSent = 0; // anything received proves the link alive, as a pong does
        events.frame(this, text);
    }

    @Override
    public void onPong() {
        lastReceived = System.nanoTime();
        pingSent = 0;
    }

    @Override
    public void onClosed(int code, String reason) {
        gone = true;
        events.closed(this, "connection closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
    }
}
