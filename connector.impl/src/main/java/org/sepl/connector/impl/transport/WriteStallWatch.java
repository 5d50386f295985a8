package org.sepl.connector.impl.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Notices writes that a WebSocket library accepted and then left waiting with none of them completed for a whole
 * check period, so that the transport can nudge the library's write queue once per such stall.
 * <p>
 * Why: the Tyrus JDK client's write queue ({@code TaskQueueFilter}, Tyrus 2.2.0) can lose its wake-up. When a frame
 * is queued while the previous write's completion is between "queue empty" and "unlock", the frame stays queued
 * until some later write runs the queue; in a request/answer exchange that later write may never come, and the
 * request times out although the link is fine (eclipse-ee4j/tyrus issue 678). Any new write (a ping) runs the queue
 * again, oldest frame first.
 * <p>
 * {@link #issued} and {@link #completed} are called from any thread; {@link #check} from one thread at a time.
 */
final class WriteStallWatch {

    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    // the checker's own view, touched by check() only
    private long completedAtLastCheck;
    private long issuedAtLastCheck;
    private boolean nudgedThisStall;

    void issued() {
        issued.incrementAndGet();
    }

    /** A write finished, successfully or not. */
    void completed() {
        completed.incrementAndGet();
    }

    /**
     * @return true once per stall: a write issued before the previous check is still not completed, and no write
     *         completed since that check
     */
    boolean check() {
        long done = completed.get(); // read before issued: done <= sent
        long sent = issued.get();
        boolean stalled = done == completedAtLastCheck && done < issuedAtLastCheck;
        completedAtLastCheck = done;
        issuedAtLastCheck = sent;
        if (!stalled) {
            nudgedThisStall = false;
            return false;
        }
        if (nudgedThisStall) {
            return false; // the nudge is queued behind the stalled writes: real back-pressure, not a lost wake-up
        }
        nudgedThisStall = true;
        return true;
    }
}
