package org.sepl.connector.impl.outbox;

import java.util.HashMap;
import java.util.Map;

import org.sepl.connector.impl.request.RequestTracker.Channel;

/**
 * Which stored messages are on their way, on which link ({@link OutboxSender}'s bookkeeping, confined to the outbox
 * lane). A message moved to another outbox while on its way keeps its place: its answer settles the copy, which is
 * not sent again, so a swap of outboxes does not duplicate what is in flight. Bounded by the request window: each
 * entry goes with its message's answer, or with the loss of its link (which answers it with an error).
 */
final class InFlightMessages {

    private final Map<MessageKey, Channel> onLink = new HashMap<>();
    /** The key a moved message was sent under → its copy's key. */
    private final Map<MessageKey, MessageKey> movedTo = new HashMap<>();

    /** @return whether the message was sent on this link and is not answered yet */
    boolean isOn(MessageKey key, Channel channel) {
        return onLink.get(key) == channel;
    }

    void sent(MessageKey key, Channel channel) {
        onLink.put(key, channel);
    }

    /** The message now lives in another outbox under {@code to}; if it is on its way, its answer will settle that. */
    void moved(MessageKey from, MessageKey to) {
        Channel channel = onLink.remove(from);
        if (channel != null) {
            onLink.put(to, channel);
            movedTo.put(from, to);
        }
    }

    /**
     * The answer (or the failure) of a message sent under {@code key} on {@code channel} came: it is no longer on its
     * way.
     *
     * @return the key the message lives under now (its copy's, if it moved meanwhile)
     */
    MessageKey answered(MessageKey key, Channel channel) {
        MessageKey now = movedTo.remove(key);
        MessageKey current = now == null ? key : now;
        if (onLink.get(current) == channel) {
            onLink.remove(current);
        }
        return current;
    }
}
