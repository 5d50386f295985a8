package org.sepl.connector.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A client's <b>loss ledger</b>: where every event and command answer handed to it went, counted since the client
 * was built (not since its outbox was opened: a durable outbox's own counters start again at each open, while its
 * messages stay). Two balances hold whenever nothing is on its way (no call between its caller and the outbox, no
 * append or settlement being written, no removal being reported):
 *
 * <pre>
 * offered             = refused + stored
 * stored + recovered  = delivered + rejected + dropped + expired + leftBehind + unanswered + pending
 * </pre>
 *
 * The first line is about calls: a refused message was never stored and its caller was told at once. The second is
 * about stored messages: each one stored by this client, or found in an outbox when the client took it, ends in
 * exactly one of the lines on the right. {@code pending} is read from the outbox in use, the other figures are
 * counted by the client as things happen; so {@link #outOfBalance()} not zero at a quiet moment means a message went
 * somewhere nobody counted (a defect, logged by the client as an ERROR).
 * <p>
 * With the outbox disabled ({@code outboxEnabled=false}) "stored" means sent, {@code pending} the messages sent and
 * not answered yet, and {@code unanswered} those whose link dropped or whose answer did not come in time (the
 * platform may or may not have them); {@code recovered}, {@code dropped}, {@code expired} and {@code leftBehind}
 * stay 0. With an outbox, {@code unanswered} stays 0: an unanswered message stays pending and is sent again.
 *
 * @param offered    events and command answers handed to the client (every {@code sendEvent}, {@code event},
 *                   {@code eventAsync}, {@code sendResponse}, {@code respond}, {@code respondAsync} and every answer
 *                   of a command handler; a call with an invalid argument throws and is not counted)
 * @param refused    those not stored, by reason (the caller was told); reasons never seen are absent
 * @param stored     those stored in an outbox (outbox disabled: sent)
 * @param recovered  messages found pending in an outbox when the client took it into use: a durable outbox's
 *                   messages from before a restart, or an outbox taken back after a swap
 * @param delivered  settled by a success answer (2xx)
 * @param rejected   settled by a final error answer (4xx; outbox disabled: any error answer), or never sendable
 * @param dropped    dropped by a full outbox to make room ({@code DROP_OLDEST}); one dropped while it was on the
 *                   wire may still have reached the platform (its caller then hears the platform's answer): each
 *                   message is counted once, by how it left the outbox
 * @param expired    removed by the outbox for being older than its maximum age
 * @param leftBehind still pending in an outbox the client stopped using: a durable one keeps them for its next open;
 *                   of an in-memory one, those its successor refused when they were moved over
 * @param unanswered outbox disabled: sent, and the link dropped or no answer came in time
 * @param pending    in the outbox in use now (outbox disabled: sent, not answered yet)
 * @since 1.3
 */
public record DeliveryLedger(long offered, Map<Refusal, Long> refused, long stored, long recovered, long delivered,
        long rejected, long dropped, long expired, long leftBehind, long unanswered, long pending) {

    /** Why a message handed to the client was not stored. */
    public enum Refusal {
        /** The outbox was full and its policy is {@code REFUSE_NEW}. */
        FULL,
        /** The message alone is larger than the outbox's {@code max.bytes}. */
        TOO_LARGE,
        /** The outbox could not write it (an I/O error, a damaged file). */
        STORE_FAILED,
        /** The outbox's disk had no room left for it ({@code RefusalReason.DISK_FULL}). */
        DISK_FULL,
        /** The client or its outbox was closed. */
        CLOSED,
        /** There was no outbox (in OSGi: no {@code Outbox} service). */
        NO_OUTBOX,
        /**
         * As many messages as the outbox can hold were already waiting to be stored (the outbox store does not keep
         * up, e.g. a disk that hangs).
         */
        BACKLOG,
        /**
         * The client's callback lane was too far behind (a {@code CompletionStage} continuation or a
         * {@code ConnectionListener} blocks it): no new caller stage was made.
         */
        CALLBACKS_BLOCKED,
        /** Outbox disabled: the client was not connected. */
        NOT_CONNECTED,
        /** Outbox disabled: the window of requests in flight was full. */
        WINDOW_FULL
    }

    /** @throws NullPointerException if {@code refused} is null */
    public DeliveryLedger {
        Objects.requireNonNull(refused, "refused must not be null");
        Map<Refusal, Long> copy = new EnumMap<>(Refusal.class);
        refused.forEach((reason, n) -> {
            if (n != null && n != 0) {
                copy.put(Objects.requireNonNull(reason, "a refusal reason must not be null"), n);
            }
        });
        refused = Collections.unmodifiableMap(copy);
    }

    /** @return messages refused for {@code reason} */
    public long refused(Refusal reason) {
        return refused.getOrDefault(reason, 0L);
    }

    /** @return messages refused for any reason */
    public long refusedTotal() {
        long n = 0;
        for (long v : refused.values()) {
            n += v;
        }
        return n;
    }

    /**
     * @return by how much the two balances miss, added up: {@code offered - refused - stored} plus
     *         {@code stored + recovered - (delivered + rejected + dropped + expired + leftBehind + unanswered + pending)};
     *         0 when the ledger balances. Only meaningful at a quiet moment: a message on its way is counted on one
     *         side only.
     */
    public long outOfBalance() {
        return Math.abs(offered - refusedTotal() - stored)
                + Math.abs(stored + recovered - delivered - rejected - dropped - expired - leftBehind - unanswered - pending);
    }

    /** @return whether both balances hold */
    public boolean balanced() {
        return outOfBalance() == 0;
    }

    /**
     * @return the two balances in words, e.g. {@code offered 120 = refused 3 (full 3) + stored 117; stored 117 +
     *         recovered 5 = delivered 110 + rejected 1 + dropped 0 + expired 0 + left behind 0 + unanswered 0 +
     *         pending 11}, followed by {@code ; off by N (on their way, or a defect if it lasts while idle)} when they
     *         do not hold
     */
    @Override
    public String toString() {
        StringJoiner reasons = new StringJoiner(", ", " (", ")").setEmptyValue("");
        refused.forEach((r, n) -> reasons.add(r.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + n));
        return "offered " + offered + " = refused " + refusedTotal() + reasons + " + stored " + stored + "; stored "
                + stored + " + recovered " + recovered + " = delivered " + delivered + " + rejected " + rejected
                + " + dropped " + dropped + " + expired " + expired + " + left behind " + leftBehind + " + unanswered "
                + unanswered + " + pending " + pending + (balanced() ? ""
                        : "; off by " + outOfBalance() + " (on their way, or a defect if it lasts while idle)");
    }
}
