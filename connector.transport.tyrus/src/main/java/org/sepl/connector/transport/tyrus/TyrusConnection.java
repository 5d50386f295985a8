package org.sepl.connector.transport.tyrus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.sepl.connector.api.transport.MessageAssembler;
import org.sepl.connector.api.transport.SendCadence;
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

    private record Outgoing(String text, Consumer<Throwable> onFailure) {
    }

    private final WebSocketTransport.Listener listener;
    private final Consumer<TyrusConnection> gone;
    /** The transport's writer threads, for frames that queue up behind one being sent. */
    private final Executor writers;
    private final Queue<Outgoing> queued = new ConcurrentLinkedQueue<>();
    /** Held by whoever sends this connection's frames now: a caller, or a writer draining {@link #queued}. */
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Whether a frame is one of a stream (handed to a writer) or isolated (sent at once). */
    private final SendCadence cadence = new SendCadence();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Session session;
    /** The message being received: Tyrus reads one connection on one thread at a time. */
    private final MessageAssembler incoming;
    /** The listener's calls: those of a stream of messages on a reader thread, not Tyrus's. */
    private final ListenerCalls calls;
    /** Whether a message came on its own or in a stream (the line drawn for sends, applied to arrivals). */
    private final SendCadence arrivals = new SendCadence();

    TyrusConnection(WebSocketTransport.Listener listener, int maxMessageBytes, Executor writers, Executor readers,
            Consumer<TyrusConnection> gone) {
        this.listener = listener;
        this.writers = writers;
        this.calls = new ListenerCalls(readers);
        this.incoming = new MessageAssembler(maxMessageBytes);
        this.gone = gone;
    }

    // ---- Endpoint (Tyrus's threads) -------------------------------------------------------------------------

    /** The session connect returned: a send or ping right after connect must not find none. */
    void opened(Session s) {
        session = s;
    }

    @Override
    public void onOpen(Session s, EndpointConfig config) {
        session = s;
        s.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onFragment);
        s.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> calls.add(listener::onPong, true));
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
            calls.add(() -> listener.onText(message), !arrivals.partOfStream() && !sendingAStream());
        }
    }

    /**
     * Whether this connection is sending a stream (frames queued for the writers, or sent closer than the stream gap):
     * then a message that came alone (the first answer of a burst) still goes to a reader, since handling it on
     * Tyrus's thread would hold up those sends.
     */
    private boolean sendingAStream() {
        return !queued.isEmpty() || cadence.streaming();
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
            calls.addLast(() -> listener.onClosed(code, reason)); // after the messages that came before it
        }
    }

    // ---- Connection (any thread) ----------------------------------------------------------------------------

    /**
     * An isolated frame (a command's answer, one event) is sent at once on the caller's thread: Tyrus frames it there
     * and Grizzly writes what the socket takes without waiting, so nothing is handed between threads on the
     * interactive paths. A frame of a stream ({@link SendCadence}) is queued for a writer thread, so the caller goes
     * on producing while another core frames (Tyrus's UTF-8 encoding and masking cost more than the client's own work
     * per event). Frames leave in call order either way: only the holder of {@code sending} sends, and a frame goes
     * straight out only when none is queued before it.
     */
    @Override
    public void send(String text, Consumer<Throwable> onFailure) {
        if (!cadence.partOfStream() && sending.compareAndSet(false, true)) {
            if (queued.isEmpty()) {
                sendNow(text, onFailure);
                sending.set(false);
                if (!queued.isEmpty() && sending.compareAndSet(false, true)) {
                    schedule(); // queued while this one was being sent
                }
            } else {
                queued.add(new Outgoing(text, onFailure)); // behind the frames queued before it
                schedule();
            }
            return;
        }
        queued.add(new Outgoing(text, onFailure));
        if (sending.compareAndSet(false, true)) {
            schedule(); // nobody is sending: a writer will (the holder may have let go just before the add)
        }
    }

    private void schedule() {
        try {
            writers.execute(this::writeQueued);
        } catch (RejectedExecutionException e) {
            writeQueued(); // the transport is closing: fail (or send) the rest here
        }
    }

    /** Sends the queued frames in order; the caller holds {@code sending}, released here. */
    private void writeQueued() {
        while (true) {
            for (Outgoing o; (o = queued.poll()) != null;) {
                sendNow(o.text(), o.onFailure());
            }
            sending.set(false);
            if (queued.isEmpty() || !sending.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void sendNow(String text, Consumer<Throwable> onFailure) {
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
