package org.sepl.connector.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectionCounts;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;

/**
 * The health of one client, as a Felix {@link HealthCheck}:
 * <ul>
 * <li><b>CRITICAL</b> when it has not been connected and synchronised ({@code READY}) for longer than the grace
 * period (a reconnect that takes a few seconds is not an alarm), or it is closed;</li>
 * <li><b>WARN</b> when its outbox fills and will be full within the warning time at the current pace (or is full),
 * or when messages were lost recently: refused, dropped by a full outbox, expired, or sent and never answered with
 * the outbox disabled (the loss ledger's lines);</li>
 * <li><b>OK</b> otherwise, with a line that says so.</li>
 * </ul>
 * "Recently" is told by comparing the ledger with what the previous checks saw: a loss counts from the check that
 * first saw it, for the warning time. Checks may run from several threads (hc tooling, a watchdog): synchronised.
 */
public final class ClientHealth implements HealthCheck {

    /**
     * @param grace       how long the client may be not ready before it is critical
     * @param fullWarning warn when the outbox will be full within this at the current pace
     * @param lossWarning warn for this long after a loss was seen
     */
    public record Settings(Duration grace, Duration fullWarning, Duration lossWarning) {
        /** @throws IllegalArgumentException if a duration is negative */
        public Settings {
            check("grace", grace);
            check("fullWarning", fullWarning);
            check("lossWarning", lossWarning);
        }

        private static void check(String name, Duration d) {
            Objects.requireNonNull(d, name + " must not be null");
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + d);
            }
        }
    }

    private final String client;
    private final Supplier<ClientStatus> status;
    private final Settings settings;
    private final Clock clock;
    // guarded by this
    private Instant notReadySince;
    private long establishedSeen;
    private long lossesSeen;
    private Instant lossSeenAt;

    /**
     * @param client the client's name (its configuration PID), for the messages
     * @param status the client's status, read at every check
     * @param clock  the wall clock ({@link ClientStatus#stateSince()} is on it)
     */
    public ClientHealth(String client, Supplier<ClientStatus> status, Settings settings, Clock clock) {
        this.client = client;
        this.status = status;
        this.settings = settings;
        this.clock = clock;
        ClientStatus s = status.get();
        this.notReadySince = s.state() == ConnectionState.READY ? null : since(s, clock.instant());
        this.establishedSeen = established(s);
        this.lossesSeen = losses(s.ledger());
    }

    @Override
    public synchronized Result execute() {
        ClientStatus s = status.get();
        Instant now = clock.instant();
        ResultLog log = new ResultLog();
        connection(s, now, log);
        outbox(s, log);
        losses(s, now, log);
        return new Result(log);
    }

    private void connection(ClientStatus s, Instant now, ResultLog log) {
        long established = established(s);
        boolean readyInBetween = established > establishedSeen;
        establishedSeen = established;
        if (s.state() == ConnectionState.READY) {
            notReadySince = null;
            log.add(new ResultLog.Entry(Result.Status.OK, "Client " + client + " is connected and synchronised as "
                    + "gateway " + s.gatewayId() + " since " + s.stateSince()));
            return;
        }
        if (s.state() == ConnectionState.CLOSED) {
            log.add(new ResultLog.Entry(Result.Status.CRITICAL, "Client " + client + " is closed"));
            return;
        }
        if (notReadySince == null || readyInBetween) {
            // ready at the previous check, or in between: not ready at least since it entered this state
            notReadySince = since(s, now);
        }
        Duration down = Duration.between(notReadySince, now);
        String what = "Client " + client + " is not connected and synchronised (" + s.state() + ") for "
                + down.toSeconds() + " s" + (s.lastError() == null ? "" : "; last error: " + s.lastError());
        if (down.compareTo(settings.grace()) >= 0) {
            log.add(new ResultLog.Entry(Result.Status.CRITICAL, what + " (grace " + settings.grace().toSeconds()
                    + " s)"));
        } else {
            log.add(new ResultLog.Entry(Result.Status.OK, what + ", within the grace of "
                    + settings.grace().toSeconds() + " s"));
        }
    }

    private void outbox(ClientStatus s, ResultLog log) {
        OutboxStatus o = s.outbox();
        OutboxFlow f = s.outboxFlow();
        if (o == null) {
            return; // outbox disabled: nothing fills
        }
        String depth = o.depth() + " messages, " + o.bytes() + " bytes, oldest " + o.oldestAge().toSeconds() + " s";
        if (f == null || !f.filling()) {
            log.add(new ResultLog.Entry(Result.Status.OK, "Outbox not filling (" + depth + ")"));
            return;
        }
        Duration untilFull = f.timeUntilFull();
        if (untilFull.isZero()) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "Outbox is full (" + depth + "): new messages are refused "
                    + "or the oldest dropped, as its policy says"));
        } else if (untilFull.compareTo(settings.fullWarning()) <= 0) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "Outbox will be full in about " + words(untilFull)
                    + " at this pace (" + depth + "; in " + rate(f.ingestPerSecond()) + "/s, out "
                    + rate(f.drainPerSecond()) + "/s)"));
        } else {
            log.add(new ResultLog.Entry(Result.Status.OK, "Outbox filling, full in about " + words(untilFull)
                    + " (" + depth + ")"));
        }
    }

    private void losses(ClientStatus s, Instant now, ResultLog log) {
        DeliveryLedger l = s.ledger();
        if (l == null) {
            return;
        }
        long losses = losses(l);
        if (losses > lossesSeen) {
            lossSeenAt = now;
        }
        lossesSeen = losses;
        if (lossSeenAt != null && Duration.between(lossSeenAt, now).compareTo(settings.lossWarning()) < 0) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "Messages lost recently (seen at " + lossSeenAt
                    + "): refused " + l.refusedTotal() + " " + l.refused() + ", dropped " + l.dropped() + ", expired "
                    + l.expired() + ", unanswered " + l.unanswered() + " since the client started"));
        } else {
            log.add(new ResultLog.Entry(Result.Status.OK, "Nothing lost in the last "
                    + settings.lossWarning().toMinutes() + " min"));
        }
    }

    /** @return when the client entered its state, or {@code now} if unknown or ahead (a clock set back) */
    private static Instant since(ClientStatus s, Instant now) {
        return s.stateSince() == null || s.stateSince().isAfter(now) ? now : s.stateSince();
    }

    private static long established(ClientStatus s) {
        ConnectionCounts c = s.connections();
        return c == null ? 0 : c.established();
    }

    /** The ledger's lines of messages that did not reach the platform and will not. */
    private static long losses(DeliveryLedger l) {
        return l == null ? 0 : l.refusedTotal() + l.dropped() + l.expired() + l.unanswered();
    }

    private static String words(Duration d) {
        long seconds = d.toSeconds();
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
    }

    private static String rate(double perSecond) {
        return String.format(java.util.Locale.ROOT, "%.1f", perSecond);
    }
}
