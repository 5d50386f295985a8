package org.sepl.connector.impl.ledger;

import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.sepl.connector.api.outbox.FullPolicy;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxLimits;

/**
 * The outbox's ingest and drain rates and, while it fills, the time until it is full, from samples taken about once
 * a second: each rate is an exponentially weighted average over about the last {@link #WINDOW} (the weight of a
 * sample follows the time since the previous one, measured on a monotonic clock the caller passes in). When the
 * outbox will be full within {@link #WARN_HORIZON} at the current pace, a WARNING says so, before anything is dropped
 * or refused; again at most every {@link #WARN_REPEAT} while that lasts, and at once when it becomes full. Confined
 * to the outbox lane (or a test).
 * <p>
 * The time until full follows the growth of the depth and bytes, not ingest minus drain, so that drops, expiries
 * and rejections are in it too. Rates start at 0, so a burst of a second moves them by about 1/60 of its size:
 * the warning follows a trend, not a spike.
 */
public final class FillForecast {

    private static final System.Logger LOG = System.getLogger(FillForecast.class.getName());

    /** The span the averages cover (their time constant): long enough to ride out bursts, short enough to follow an outage. */
    public static final Duration WINDOW = Duration.ofSeconds(60);
    /**
     * Warn when the outbox will be full within this time: about the least an operator alerted by the log needs to
     * act (bring the link back, raise {@code max.messages}/{@code max.bytes}) before messages are refused or dropped.
     * With the stock default of 100,000 messages, a gateway sending 30 events/s through an outage is warned about
     * 45 minutes into it.
     */
    public static final Duration WARN_HORIZON = Duration.ofMinutes(10);
    /** While the outbox stays that close to full, the warning is repeated at most this often. */
    public static final Duration WARN_REPEAT = Duration.ofMinutes(5);
    /** Below this growth (messages per second: about 36 an hour) the outbox does not count as filling. */
    static final double MIN_FILL_RATE = 0.01;

    private final System.Logger log;

    private Object use;
    private long lastNanos;
    private long lastStored;
    private long lastSettled;
    private long lastDepth;
    private long lastBytes;
    private double ingest;
    private double drain;
    private double depthRate;
    private double bytesRate;
    private volatile OutboxFlow flow = OutboxFlow.IDLE;
    private boolean warning;
    private boolean warnedFull;
    private long lastWarnNanos;

    public FillForecast() {
        this(LOG);
    }

    FillForecast(System.Logger log) {
        this.log = log;
    }

    /** @return the latest figures (any thread) */
    public OutboxFlow flow() {
        return flow;
    }

    /**
     * Takes a sample.
     *
     * @param nowNanos  a monotonic clock ({@link System#nanoTime()})
     * @param use       the outbox use sampled: a new one starts the rates of its depth again (what it held when taken
     *                  is not growth)
     * @param name      names the outbox in the warning
     * @param stored    messages stored so far (all uses)
     * @param settled   messages delivered or rejected so far (all uses)
     * @param depth     the outbox's depth now
     * @param bytes     its bytes now
     */
    public void sample(long nowNanos, Object use, String name, long stored, long settled, long depth, long bytes,
            OutboxLimits limits) {
        if (this.use != null) {
            double seconds = (nowNanos - lastNanos) / 1e9;
            if (seconds <= 0) {
                return;
            }
            double weight = 1 - Math.exp(-seconds / WINDOW.toSeconds());
            ingest += weight * ((stored - lastStored) / seconds - ingest);
            drain += weight * ((settled - lastSettled) / seconds - drain);
            if (use == this.use) {
                depthRate += weight * ((depth - lastDepth) / seconds - depthRate);
                bytesRate += weight * ((bytes - lastBytes) / seconds - bytesRate);
            } else {
                depthRate = 0;
                bytesRate = 0;
            }
        }
        this.use = use;
        lastNanos = nowNanos;
        lastStored = stored;
        lastSettled = settled;
        lastDepth = depth;
        lastBytes = bytes;
        Duration untilFull = untilFull(depth, bytes, limits);
        flow = new OutboxFlow(Math.max(0, ingest), Math.max(0, drain), untilFull);
        warnIfClose(nowNanos, name, untilFull, depth, bytes, limits);
    }

    private Duration untilFull(long depth, long bytes, OutboxLimits limits) {
        if (depth >= limits.maxMessages() || bytes >= limits.maxBytes()) {
            return Duration.ZERO;
        }
        if (depthRate < MIN_FILL_RATE) {
            return null;
        }
        double seconds = (limits.maxMessages() - depth) / depthRate;
        if (bytesRate > 0) {
            seconds = Math.min(seconds, (limits.maxBytes() - bytes) / bytesRate);
        }
        return Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2));
    }

    private void warnIfClose(long nowNanos, String name, Duration untilFull, long depth, long bytes,
            OutboxLimits limits) {
        if (untilFull == null || untilFull.compareTo(WARN_HORIZON) >= 0) {
            warning = false; // the next approach warns at once
            return;
        }
        boolean full = untilFull.isZero();
        if (warning && nowNanos - lastWarnNanos < WARN_REPEAT.toNanos() && (warnedFull || !full)) {
            return; // said recently; becoming full is said at once
        }
        warning = true;
        warnedFull = full;
        lastWarnNanos = nowNanos;
        String then = limits.fullPolicy() == FullPolicy.DROP_OLDEST ? "the oldest messages are dropped"
                : "new messages are refused";
        String when = full ? "is full" : "will be full in about " + minutes(untilFull);
        log.log(WARNING, "{0} {1} at the current pace ({2} of {3} messages, {4} of {5} bytes; in {6}/s, out {7}/s): "
                + "then {8} ({9}). Is the platform reachable?", name, when, depth, limits.maxMessages(), bytes,
                limits.maxBytes(), round(flow.ingestPerSecond()), round(flow.drainPerSecond()), then,
                OutboxLimits.FULL_POLICY + "=" + limits.fullPolicy());
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : TimeUnit.SECONDS.toMinutes(s) + " min";
    }

    private static String round(double perSecond) {
        return perSecond >= 10 ? String.valueOf(Math.round(perSecond)) : String.format(java.util.Locale.ROOT, "%.1f",
                perSecond);
    }
}
