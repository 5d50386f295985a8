package org.sepl.connector.impl.outbox;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.impl.executor.UserCallbacks;

/**
 * Who waits for which stored message ({@link OutboxSender}'s bookkeeping), confined to the outbox lane. A durable
 * outbox stores on its own writer thread, so a message may be read from it, sent and answered before its waiter is
 * registered: such an answer is kept (at most {@value #EARLY_ANSWER_KEEP_SECONDS} s) for the registration. Early
 * answers are bounded: kept only while a registration is expected (all are forgotten once none is), at most
 * {@value #EARLY_ANSWERS_MAX} (the oldest forgotten first: as many as appends may wait to complete).
 */
final class OutboxWaiters {

    static final long EARLY_ANSWER_KEEP_SECONDS = 10;
    /** As many as messages may wait to be stored ({@link AppendBacklog#MAX_MESSAGES}). */
    static final int EARLY_ANSWERS_MAX = (int) AppendBacklog.MAX_MESSAGES;

    private record Early(Response response, Throwable error, long atNanos) {
    }

    private final UserCallbacks callers;
    private final Map<MessageKey, Waiter> waiters = new HashMap<>();
    private final Map<MessageKey, Early> early = new LinkedHashMap<>();
    /** Appends completing on another thread, not yet registered: meanwhile an answer may come early. */
    private int pendingRegistrations;

    OutboxWaiters(UserCallbacks callers) {
        this.callers = callers;
    }

    /** An append will complete on another thread: its registration follows later. */
    void registrationExpected() {
        pendingRegistrations++;
    }

    /** An expected registration will not come (the append failed). */
    void registrationCancelled() {
        pendingRegistrations--;
        forgetEarlyIfNoneExpected();
    }

    /** With no registration to come, no early answer can be claimed any more (answers to messages nobody waits for). */
    private void forgetEarlyIfNoneExpected() {
        if (pendingRegistrations == 0 && !early.isEmpty()) {
            early.clear();
        }
    }

    /** @return early answers kept now (for tests of the bound) */
    int earlyAnswers() {
        return early.size();
    }

    /** @return whether every append so far is registered */
    boolean allRegistered() {
        return pendingRegistrations == 0;
    }

    /**
     * A stored message now has a waiter.
     *
     * @param expected whether its registration was {@link #registrationExpected() expected}
     */
    void register(MessageKey key, Waiter waiter, boolean expected) {
        if (expected) {
            pendingRegistrations--;
        }
        Early e = early.remove(key);
        if (e != null) {
            waiter.complete(callers, e.response(), e.error());
        } else {
            waiters.put(key, waiter);
        }
        forgetEarlyIfNoneExpected();
    }

    /**
     * @return the waiter of a message if it is the client's own (a blocking call, a command's answer), which may be
     *         completed on any thread; null for a caller's (completed on the callback lane) or none
     */
    Waiter ownWaiter(MessageKey key) {
        Waiter w = waiters.get(key);
        return w != null && !w.caller() ? w : null;
    }

    /** The message's outcome is known: its waiter learns it (or, not registered yet, will). */
    void finish(MessageKey key, Response response, Throwable error) {
        Waiter w = waiters.remove(key);
        if (w != null) {
            w.complete(callers, response, error);
        } else if (pendingRegistrations > 0) {
            if (early.size() >= EARLY_ANSWERS_MAX) {
                Iterator<Early> oldest = early.values().iterator();
                oldest.next();
                oldest.remove();
            }
            early.put(key, new Early(response, error, System.nanoTime()));
        }
        // else: a message nobody waits for (stored before a restart, or its caller was told CLOSED)
    }

    /** A message moved to another outbox: its waiter now waits for the copy. */
    void moved(MessageKey from, MessageKey to) {
        Waiter w = waiters.remove(from);
        if (w != null) {
            waiters.put(to, w);
        }
    }

    /** Fails the waiters of messages of {@code outbox} (null: of all outboxes). */
    void failAll(Outbox outbox, ConnectorException why) {
        for (Iterator<Map.Entry<MessageKey, Waiter>> it = waiters.entrySet().iterator(); it.hasNext();) {
            Map.Entry<MessageKey, Waiter> e = it.next();
            if (outbox == null || e.getKey().outbox() == outbox) {
                it.remove();
                e.getValue().complete(callers, null, why);
            }
        }
    }

    /** Drops early answers nobody registered for in time (the oldest first: they are in arrival order). */
    void forgetOldEarlyAnswers() {
        long now = System.nanoTime();
        for (Iterator<Early> it = early.values().iterator(); it.hasNext();) {
            if (now - it.next().atNanos() < TimeUnit.SECONDS.toNanos(EARLY_ANSWER_KEEP_SECONDS)) {
                return;
            }
            it.remove();
        }
    }
}
