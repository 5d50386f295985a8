package org.sepl.connector.impl.outbox;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.impl.ledger.LossLedger;
import org.sepl.connector.impl.ledger.OutboxUse;
import org.sepl.connector.impl.logging.RateLimitedLog;

/**
 * Settles answered messages in their outbox for {@link OutboxSender}, on its lane, and counts each settlement in the
 * loss ledger once the outbox has stored it. A settlement the outbox cannot store (a full disk) leaves the message in
 * the outbox: it is kept in {@link SettlementRetries}, not sent again (the platform has it), and tried again every
 * {@code retryDelay} until it goes through, with at most one WARN a minute.
 */
final class Settler {

    private static final System.Logger LOG = System.getLogger(OutboxSender.class.getName());

    private final LossLedger ledger;
    /** Runs a task on the outbox lane (or, the client closed, here). */
    private final Executor lane;
    private final ScheduledExecutorService timer;
    private final Duration retryDelay;
    /** Whether an outbox is still the one in use (a settlement of another is not retried). */
    private final Predicate<Outbox> inUse;
    private final SettlementRetries unsettled = new SettlementRetries();
    private final RateLimitedLog trouble = new RateLimitedLog(LOG, OutboxSender.STORE_TROUBLE_LOG_INTERVAL_MILLIS);
    private boolean retryScheduled;

    Settler(LossLedger ledger, Executor lane, ScheduledExecutorService timer, Duration retryDelay,
            Predicate<Outbox> inUse) {
        this.ledger = ledger;
        this.lane = lane;
        this.timer = timer;
        this.retryDelay = retryDelay;
        this.inUse = inUse;
    }

    /** Settles a message the platform answered. */
    void settle(MessageKey key, Outbox.Settlement how) {
        OutboxUse of = ledger.useOf(key.outbox());
        CompletionStage<Boolean> done;
        try {
            done = key.outbox().settle(key.id(), how);
        } catch (RuntimeException e) {
            failed(key, how, e);
            return;
        }
        done.whenComplete((settled, error) -> {
            if (Boolean.TRUE.equals(settled) && of != null) {
                of.settled(how); // false: it had left already (dropped, expired, moved), and was counted so
            } else if (error != null) {
                lane.execute(() -> failed(key, how, unwrap(error)));
            }
        });
    }

    /** @return whether {@code key} was answered and waits for its settlement to be stored (so it is not sent again) */
    boolean waiting(MessageKey key) {
        return unsettled.contains(key);
    }

    /** An outbox is no longer used: its unsettled messages are forgotten (a durable one sends them after its open). */
    void forget(Outbox outbox) {
        unsettled.forget(outbox);
    }

    private void failed(MessageKey key, Outbox.Settlement how, Throwable error) {
        if (!inUse.test(key.outbox())) {
            return; // an outbox that is no longer used: a durable one sends the message again after its next open
        }
        unsettled.failed(key, how);
        trouble.warn("Cannot settle answered messages (" + error.getMessage() + "): they stay in the outbox, "
                + "are not sent again, and are settled as soon as the outbox can store it (tried every "
                + retryDelay.toMillis() + " ms; " + unsettled.size() + " waiting)");
        if (!retryScheduled) {
            try {
                timer.schedule(() -> lane.execute(this::retry), retryDelay.toNanos(), TimeUnit.NANOSECONDS);
                retryScheduled = true;
            } catch (RejectedExecutionException closing) {
                // the messages stay in the outbox
            }
        }
    }

    private void retry() {
        retryScheduled = false;
        unsettled.takeAll().forEach(this::settle);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
