package org.sepl.connector.impl.ledger;

import java.util.concurrent.atomic.LongAdder;

import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxListener;

/**
 * What happened to the messages of one outbox while a client used it (from taking it until the next swap), counted
 * as it happens: what it held when taken, what the client stored in it, settled out of it, and what it removed
 * itself. Whoever learns an outcome counts it, on whatever thread that is (the outbox lane, a durable outbox's
 * writer): the counters are thread-safe. With the outbox disabled, one use stands for the wire: "stored" is sent.
 */
public final class OutboxUse {

    /** The outbox, or null for the wire (outbox disabled). */
    final Outbox outbox;
    final LongAdder recovered = new LongAdder();
    final LongAdder stored = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder unanswered = new LongAdder();
    final LongAdder movedIn = new LongAdder();
    final LongAdder movedOut = new LongAdder();

    OutboxUse(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Messages it held when the client took it. */
    public void recovered(long n) {
        recovered.add(n);
    }

    /** A message stored in it (outbox disabled: sent). */
    public void stored() {
        stored.increment();
    }

    /** A message settled out of it by the platform's answer (its removal stored). */
    public void settled(Outbox.Settlement how) {
        (how == Outbox.Settlement.DELIVERED ? delivered : rejected).increment();
    }

    /** The outbox removed a message without delivering it. */
    public void removed(OutboxListener.Reason why) {
        (why == OutboxListener.Reason.DROPPED ? dropped : expired).increment();
    }

    /** Outbox disabled: a message sent, and the link dropped or no answer came in time. */
    public void unanswered() {
        unanswered.increment();
    }

    /** A message moved from this outbox into {@code to} (a swap). */
    public void movedTo(OutboxUse to) {
        movedOut.increment();
        to.movedIn.increment();
    }

    /** @return what it holds by the client's count: what it had and was given, less what left it */
    long expectedDepth() {
        return recovered.sum() + stored.sum() + movedIn.sum() - delivered.sum() - rejected.sum() - dropped.sum()
                - expired.sum() - unanswered.sum() - movedOut.sum();
    }
}
