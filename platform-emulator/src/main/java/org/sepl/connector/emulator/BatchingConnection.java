package org.sepl.connector.emulator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.server.WebSocketServer;

/**
 * A connection that queues the replies to the frames of one socket read as a single buffer: one selector wake-up
 * and one socket write per read instead of one per reply, which is what lets a pipelining gateway go fast.
 * <p>
 * {@link #reply} is called by the connection's worker thread only (from {@code onMessage}, inside {@link #decode});
 * other threads (commands, pings, closes) keep using the ordinary {@code send}. Replies are encoded here as
 * unmasked, unfragmented text frames, which is what the default RFC 6455 draft without extensions sends.
 */
final class BatchingConnection extends WebSocketImpl {

    /** Flush earlier than the end of the read when this much is waiting, to bound the buffer. */
    private static final int MAX_PENDING_BYTES = 64 * 1024;

    private final WebSocketServer server;
    private final List<byte[]> pending = new ArrayList<>();
    private int pendingBytes;
    private boolean decoding;

    private BatchingConnection(WebSocketServer server, Draft draft) {
        super(server, draft);
        this.server = server;
    }

    private BatchingConnection(WebSocketServer server, List<Draft> drafts) {
        super(server, drafts);
        this.server = server;
    }

    @Override
    public void decode(ByteBuffer socketBuffer) {
        decoding = true;
        try {
            super.decode(socketBuffer);
        } finally {
            decoding = false;
            flush();
        }
    }

    /** Sends a text frame: batched while this read is decoded, at once otherwise. */
    void reply(String text) {
        if (!decoding) {
            send(text);
            return;
        }
        byte[] frame = textFrame(text);
        pending.add(frame);
        pendingBytes += frame.length;
        if (pendingBytes >= MAX_PENDING_BYTES) {
            flush();
        }
    }

    /** Queues the waiting replies as one buffer. Worker thread only. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(pendingBytes);
        for (byte[] frame : pending) {
            buffer.put(frame);
        }
        buffer.flip();
        pending.clear();
        pendingBytes = 0;
        boolean queued;
        // close(...) is synchronized on the connection and queues the close frame: no reply may follow it
        synchronized (this) {
            queued = isOpen() && outQueue.offer(buffer);
        }
        if (queued) {
            server.onWriteDemand(this);
        }
    }

    private static byte[] textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81; // FIN, text
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            long len = n;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (len >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }

    /** Makes {@link BatchingConnection}s; channels are wrapped by {@code channels} (plain or TLS). */
    static final class Factory implements WebSocketServerFactory {
        private final WebSocketServerFactory channels;

        Factory(WebSocketServerFactory channels) {
            this.channels = channels;
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
            return new BatchingConnection((WebSocketServer) adapter, draft);
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
            return new BatchingConnection((WebSocketServer) adapter, drafts);
        }

        @Override
        public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
            return channels.wrapChannel(channel, key);
        }

        @Override
        public void close() {
            channels.close();
        }
    }
}
