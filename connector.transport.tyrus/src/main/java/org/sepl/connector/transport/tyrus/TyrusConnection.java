package org.sepl.connector.transport.tyrus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.sepl.connector.api.transport.MessageAssembler;
import org.sepl.connector.api.transport.WebSocketTransport;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

/**
 * One Tyrus connection: the Jakarta WebSocket endpoint that hears its frames, and the
 * {@link WebSocketTransport.Connection} the client sends through. Incoming text arrives as partial messages (one
 * per frame), so that the message limit is counted in UTF-8 bytes here as the fragments come, and a message over
 * it is never buffered whole.
 */
final class TyrusConnection extends Endpoint implements WebSocketTransport.Connection {

    /** Tyrus's reason when a single frame does not fit the incoming buffer (it then closes with 1011). */
    private static final String TYRUS_BUFFER_OVERFLOW = "Buffer overflow.";

    private final WebSocketTransport.Listener listener;
    private final Consumer<TyrusConnection> gone;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Session session;
    /** The message being received: Tyrus reads one connection on one thread at a time. */
    private final MessageAssembler incoming;

    TyrusConnection(WebSocketTransport.Listener listener, int maxMessageBytes, Consumer<TyrusConnection> gone) {
        this.listener = listener;
        this.incoming = new MessageAssembler(maxMessageBytes);
        this.gone = gone;
    }

    // ---- Endpoint (Tyrus's threads) -------------------------------------------------------------------------

    @Override
    public void onOpen(Session s, EndpointConfig config) {
        session = s;
        s.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onFragment);
        s.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> listener.onPong());
    }

    private void onFragment(String text, boolean last) {
        if (closed.get()) {
            return;
        }
        String message = incoming.add(text, last);
        if (incoming.overLimit()) {
            closed(MessageAssembler.TOO_BIG, incoming.overLimitReason());
            closeSession(CloseReason.CloseCodes.TOO_BIG, incoming.overLimitReason());
        } else if (message != null) {
            listener.onText(message);
        }
    }

    @Override
    public void onClose(Session s, CloseReason reason) {
        int code = reason.getCloseCode().getCode();
        if (code == CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode()
                && TYRUS_BUFFER_OVERFLOW.equals(reason.getReasonPhrase())) {
            closed(MessageAssembler.TOO_BIG, incoming.overLimitReason()); // one frame over the limit: as any message
            return;
        }
        closed(code, reason.getReasonPhrase() == null ? "" : reason.getReasonPhrase());
    }

    @Override
    public void onError(Session s, Throwable error) {
        // Tyrus follows a failure of the connection with onClose; nothing to add here
    }

    private void closed(int code, String reason) {
        if (closed.compareAndSet(false, true)) {
            gone.accept(this);
            listener.onClosed(code, reason);
        }
    }

    // ---- Connection (any thread) ----------------------------------------------------------------------------

    @Override
    public void send(String text, Consumer<Throwable> onFailure) {
        Session s = session;
        if (closed.get() || s == null) {
            onFailure.accept(new IOException("connection closed"));
            return;
        }
        try {
            s.getAsyncRemote().sendText(text, result -> {
                if (!result.isOK()) {
                    onFailure.accept(result.getException());
                }
            });
        } catch (RuntimeException e) {
            onFailure.accept(e); // closed meanwhile
        }
    }

    @Override
    public void ping() {
        try {
            session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
            // the keep-alive notices the missing pong and drops the connection
        }
    }

    @Override
    public void close(int code, String reason) {
        closed(code, reason);
        closeSession(CloseReason.CloseCodes.getCloseCode(code), reason);
    }

    private void closeSession(CloseReason.CloseCode code, String reason) {
        Session s = session;
        if (s == null) {
            return;
        }
        try {
            s.close(new CloseReason(code, reason));
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
