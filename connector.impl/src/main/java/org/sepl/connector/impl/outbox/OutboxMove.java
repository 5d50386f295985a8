package org.sepl.connector.impl.outbox;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxEntry;

/**
 * Moves the pending messages of a replaced, non-durable outbox into its successor, a page at a time: a page's
 * appends are all issued before any is awaited, so that a durable successor stores the page in one commit (SQLite:
 * one group commit instead of one per message); then each copy is registered and the original settled out of the
 * old outbox. Runs on the outbox lane, which it holds for the move (at most {@value #PAGE_TIMEOUT_SECONDS} s per
 * page): nothing is sent meanwhile, so the order stays as it was.
 */
final class OutboxMove {

    private static final System.Logger LOG = System.getLogger(OutboxMove.class.getName());
    static final long PAGE_TIMEOUT_SECONDS = 10;

    /** A message now lives in the new outbox as {@code copy}. */
    interface Moved {
        void moved(OutboxEntry original, OutboxEntry copy);
    }

    /** A message the new outbox refused: it stays in the old one, which is being left. */
    interface Lost {
        void lost(OutboxEntry original, Throwable why);
    }

    private final Outbox from;
    private final Outbox to;
    private final int pageSize;

    OutboxMove(Outbox from, Outbox to, int pageSize) {
        this.from = from;
        this.to = to;
        this.pageSize = pageSize;
    }

    void run(Moved moved, Lost lost) {
        int movedCount = 0;
        int lostCount = 0;
        long after = 0;
        try {
            for (List<OutboxEntry> page; !(page = from.pending(after, pageSize)).isEmpty();) {
                after = page.get(page.size() - 1).id();
                List<CompletableFuture<OutboxEntry>> copies = new ArrayList<>(page.size());
                for (OutboxEntry e : page) {
                    copies.add(appendQuietly(e));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PAGE_TIMEOUT_SECONDS);
                for (int i = 0; i < page.size(); i++) {
                    OutboxEntry original = page.get(i);
                    try {
                        OutboxEntry copy = copies.get(i).get(Math.max(0, deadline - System.nanoTime()),
                                TimeUnit.NANOSECONDS);
                        moved.moved(original, copy);
                        from.settle(original.id(), Outbox.Settlement.DELIVERED);
                        movedCount++;
                    } catch (ExecutionException e) {
                        lost.lost(original, e.getCause());
                        lostCount++;
                    } catch (TimeoutException e) {
                        lost.lost(original, new TimeoutException("not stored within " + PAGE_TIMEOUT_SECONDS + " s"));
                        lostCount++;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: what is left stays in the old outbox
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cannot read the old outbox " + from + " to move its messages: " + e.getMessage());
        }
        if (movedCount + lostCount > 0) {
            LOG.log(INFO, "Moved {0} pending messages from {1} to {2}{3}", movedCount, from, to,
                    lostCount == 0 ? "" : " (" + lostCount + " refused by the new one, reported to their callers)");
        }
    }

    private CompletableFuture<OutboxEntry> appendQuietly(OutboxEntry e) {
        try {
            return to.append(e.message()).toCompletableFuture();
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }
}
