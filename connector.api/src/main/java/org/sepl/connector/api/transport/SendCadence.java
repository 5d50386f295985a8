package org.sepl.connector.api.transport;

import java.util.function.LongSupplier;

/**
 * Tells a frame sent on its own from one of a stream, for a transport's {@link WebSocketTransport.Connection#send}:
 * an isolated frame (a command's answer, one event waited for) is best written at once on the sending thread, with no
 * hand-over between threads on the interactive paths; frames of a stream are best handed to the transport's I/O
 * threads, so that the sender goes on producing while another core frames and writes. Both stock transports use it
 * (one instance per connection), so they draw the line at the same place; the Tyrus transport draws the same line
 * for the messages it receives (one of a stream is handed to a reader thread). Thread-safe; a hint, not a guard: two
 * senders racing may both be told "isolated", which only costs the hand-over they skip.
 */
public final class SendCadence {

    /**
     * Frames closer together than this are a stream: 50 µs, five times the gap between the events a client streams
     * at 100,000 a second, and below the gap of any interactive exchange with a platform (a command's round trip
     * takes 150 µs or more even over loopback).
     */
    public static final long STREAM_GAP_NANOS = 50_000;

    private final LongSupplier nanoTime;
    private volatile long lastSendNanos;

    public SendCadence() {
        this(System::nanoTime);
    }

    /** @param nanoTime the monotonic clock (tests give their own) */
    SendCadence(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastSendNanos = nanoTime.getAsLong() - STREAM_GAP_NANOS;
    }

    /** Records a send now; @return whether it follows the previous one closer than {@link #STREAM_GAP_NANOS} */
    public boolean partOfStream() {
        long now = nanoTime.getAsLong();
        boolean stream = now - lastSendNanos < STREAM_GAP_NANOS;
        lastSendNanos = now;
        return stream;
    }

    /**
     * @return whether a stream is being sent now: the last send was closer than {@link #STREAM_GAP_NANOS} ago (records
     *         nothing). A transport that hands received messages to other threads in a stream uses it to leave its
     *         I/O thread free for the sends while the client streams.
     */
    public boolean streaming() {
        return nanoTime.getAsLong() - lastSendNanos < STREAM_GAP_NANOS;
    }
}
