package org.sepl.connector.transport.tyrus;

import static java.lang.System.Logger.Level.WARNING;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's calls to its listener (a message, a pong, the close), made on one of the transport's reader
 * threads, in the order they came, one at a time.
 * <p>
 * Why not on Tyrus's thread: Tyrus runs a connection's reads and writes one at a time (its {@code TaskProcessor}),
 * so a listener call made there holds up every frame the client sends meanwhile; the client's handling of an answer
 * then cost the events per second a third of the rate (benchmarks/README.md, "Transports side by side"). Handed over,
 * Tyrus's thread goes back to reading and writing at once. A burst costs one hand-off; a message that came on its own
 * while the connection sends no stream is delivered at once on Tyrus's thread when no call waits.
 * <p>
 * Bounded: beyond {@value #MAX_WAITING} calls waiting, Tyrus's thread waits for the reader to catch up, as it did when
 * it made the calls itself: a slow client slows the reading (TCP pushes back on the platform), never grows the heap.
 */
final class ListenerCalls {

    private static final System.Logger LOG = System.getLogger(ListenerCalls.class.getName());
    /** Calls waiting for the reader thread before Tyrus's thread waits. */
    static final int MAX_WAITING = 4096;

    private final Executor readers;
    private record Call(Runnable run, boolean counted) {
    }

    private final Queue<Call> waiting = new ConcurrentLinkedQueue<>();
    private final Semaphore room = new Semaphore(MAX_WAITING);
    /** Held by the reader delivering this connection's calls now. */
    private final AtomicBoolean delivering = new AtomicBoolean();

    ListenerCalls(Executor readers) {
        this.readers = readers;
    }

    /**
     * A call from Tyrus's thread; waits while {@value #MAX_WAITING} calls wait.
     *
     * @param isolated whether it came on its own (not in a stream of messages, {@code SendCadence}) while the
     *                 connection sends no stream either; then, if no call waits, it is made at once on this thread,
     *                 with no hand-off on the interactive paths (a command, the answer to a blocking call)
     */
    void add(Runnable call, boolean isolated) {
        if (isolated && waiting.isEmpty() && delivering.compareAndSet(false, true)) {
            if (waiting.isEmpty()) {
                runSafely(call);
                letGo();
                return;
            }
            letGo(); // a call came meanwhile: this one goes behind it
        }
        room.acquireUninterruptibly();
        queue(new Call(call, true));
    }

    /** The last call (the close), from any thread: never waits, and is not counted (it comes once). */
    void addLast(Runnable call) {
        queue(new Call(call, false));
    }

    private void queue(Call call) {
        waiting.add(call);
        if (delivering.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        try {
            readers.execute(this::deliver);
        } catch (RejectedExecutionException e) {
            deliver(); // the transport is closing: deliver the rest here
        }
    }

    private void deliver() {
        while (true) {
            for (Call call; (call = waiting.poll()) != null;) {
                if (call.counted()) {
                    room.release();
                }
                runSafely(call.run());
            }
            delivering.set(false);
            // a call queued after the last poll but before the flag was cleared found it set: take it
            if (waiting.isEmpty() || !delivering.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Gives up delivering; a call queued meanwhile (its adder found the flag held) is handed to a reader. */
    private void letGo() {
        delivering.set(false);
        if (!waiting.isEmpty() && delivering.compareAndSet(false, true)) {
            schedule();
        }
    }

    private static void runSafely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(WARNING, "A connection listener failed: " + e);
        }
    }
}
