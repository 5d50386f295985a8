package org.sepl.connector.impl.outbox;

import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.impl.request.RequestTracker.Channel;

/**
 * Where the outbox lane goes on reading {@link Outbox#pending}: after the last message it sent on the current link.
 * A new link, another outbox or a rewind (after a retry delay, a swap) starts again from the oldest, so that after
 * every synchronisation everything pending is sent again in accepted order. Knowing the newest message registered
 * spares a read when everything stored was sent. Confined to the outbox lane.
 */
final class SendCursor {

    private Outbox outbox;
    private Channel channel;
    private long position;
    private boolean rewind;
    /** False once a read found nothing after {@link #position}: until then the outbox may hold unsent messages. */
    private boolean mayHoldUnsent;
    /** The newest id registered for {@link #outbox}: a message after the position is one of those. */
    private long newestRegistered;

    /** Start again from the oldest at the next read. */
    void rewind() {
        rewind = true;
    }

    /**
     * Before sending on {@code ch} from {@code ob}.
     *
     * @param allRegistered whether every stored message is registered (else one may be unknown here)
     * @return whether the outbox must be read: it may hold messages not sent on this link yet
     */
    boolean mustRead(Channel ch, Outbox ob, boolean allRegistered) {
        if (ch != channel || ob != outbox || rewind) {
            rewind = false;
            channel = ch;
            if (ob != outbox) {
                outbox = ob;
                newestRegistered = 0;
            }
            position = 0;
            mayHoldUnsent = true;
        }
        return mayHoldUnsent || position < newestRegistered || !allRegistered;
    }

    /** A stored message of {@code ob} got its waiter. */
    void registered(Outbox ob, long id) {
        if (ob == outbox && id > newestRegistered) {
            newestRegistered = id;
        }
    }

    /** @return the id after which to read */
    long position() {
        return position;
    }

    /** The message {@code id} is on the wire of the current link. */
    void passed(long id) {
        position = id;
    }

    /** A read found nothing more: what was registered up to here is sent or gone (expired, dropped). */
    void exhausted() {
        position = Math.max(position, newestRegistered);
        mayHoldUnsent = false;
    }
}
