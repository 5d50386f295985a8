package org.sepl.connector.impl.command;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How old a command is, by its {@code time} (the platform's clock when it sent the command, docs/PROTOCOL.md §5), so
 * that a gateway whose clock is wrong by minutes or years does not refuse every command as too old, and a command the
 * platform held back is still refused.
 * <p>
 * <b>The rule.</b> A command's age is the gateway's clock minus its {@code time}, less the gateway clock's error as
 * learnt from earlier commands (none at first: the gateway's clock is trusted until commands show it is wrong):
 * <ul>
 * <li>a command from the future (more than {@link #TOLERANCE_MILLIS} ahead) shows the gateway's clock is behind: the
 * error is learnt at once (the platform's clock was at least that) and the command is fresh;</li>
 * <li>a command older than the maximum age is refused. It may be stale, or the gateway's clock may be ahead: one
 * command cannot tell. Two can: when two commands that each arrived alone (no other command within
 * {@link #MIN_SPACING_MILLIS} before or after it, on the monotonic clock) were both late by the same amount (within
 * {@link #TOLERANCE_MILLIS}), that amount is the gateway clock's error, it is learnt, the second command is fresh,
 * and a WARN says so. Stale commands a platform held back come in bursts (a backlog delivered at once), and stay
 * refused.</li>
 * <li>when the gateway's clock is set (NTP, an operator; seen as a jump of the wall clock against the monotonic one
 * of more than {@link #STEP_MILLIS}) what was learnt about it is dropped: it is trusted again.</li>
 * </ul>
 * So with a gateway clock ten minutes fast the first command after start is refused, and those after it are run (after
 * a burst, the first that comes alone is refused too); the cost of not trusting one command alone. A platform that delivers every command late by the same amount, at the rate
 * they were sent, looks the same as a gateway clock ahead by that amount, and its commands are run (logged as a clock
 * error). Thread-safe. Its time comes from an injected wall clock and monotonic clock (tests need not wait).
 */
public final class CommandAge {

    /** The {@code time} field counts whole seconds, and arrival jitters: delays this close are the same delay. */
    static final long TOLERANCE_MILLIS = 1_500;
    /** A command that vouches for a clock error arrived at least this long after the one before it: not a burst. */
    public static final long MIN_SPACING_MILLIS = 2_000;
    /** A jump of the wall clock against the monotonic clock larger than this is the gateway's clock being set. */
    static final long STEP_MILLIS = 2_000;

    private static final System.Logger LOG = System.getLogger(CommandAge.class.getName());

    /** A command refused as too old that came alone, kept to see whether another one is late by just as much. */
    private record Late(long sentMillis, long arrivedMonoMillis, long delayMillis) {
    }

    private final long maxAgeMillis;
    private final Clock wall;
    private final LongSupplier nanoTime;
    // guarded by this
    /** The gateway's clock minus the platform's, as learnt from commands; 0: none learnt, the clock is trusted. */
    private long errorMillis;
    private boolean seen;
    private long lastWallMinusMono;
    private long lastArrivalMonoMillis;
    private Late late;

    /**
     * @param wall     the gateway's clock
     * @param nanoTime the monotonic clock ({@link System#nanoTime})
     */
    public CommandAge(Duration maxAge, Clock wall, LongSupplier nanoTime) {
        this.maxAgeMillis = maxAge.toMillis();
        this.wall = wall;
        this.nanoTime = nanoTime;
    }

    /**
     * @param sentMillis the command's {@code time}, in milliseconds since the epoch
     * @return why the command is too old to run, or null if it is not
     */
    public synchronized String staleness(long sentMillis) {
        long wallMillis = wall.millis();
        long monoMillis = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong());
        boolean alone = !seen || monoMillis - lastArrivalMonoMillis >= MIN_SPACING_MILLIS;
        if (!alone && late != null && late.arrivedMonoMillis() == lastArrivalMonoMillis) {
            late = null; // the witness was the command just before this one: it came in a burst after all
        }
        lastArrivalMonoMillis = monoMillis;
        noticeClockSet(wallMillis - monoMillis);
        long age = wallMillis - errorMillis - sentMillis;
        if (age < -TOLERANCE_MILLIS) {
            learn(wallMillis - sentMillis, "a command from " + -age / 1000 + " s in its future");
            return null;
        }
        if (age <= maxAgeMillis) {
            late = null;
            return null;
        }
        long delay = wallMillis - sentMillis;
        if (alone) {
            if (late != null && Math.abs(delay - late.delayMillis()) <= TOLERANCE_MILLIS) {
                learn(delay, "two commands " + (monoMillis - late.arrivedMonoMillis()) / 1000 + " s apart, each "
                        + "alone, both " + delay / 1000 + " s late");
                return null;
            }
            if (late == null || delay < late.delayMillis()) {
                late = new Late(sentMillis, monoMillis, delay); // the fresher, the better witness of a clock error
            }
        }
        return "sent " + age / 1000 + " s ago by the " + (errorMillis == 0 ? "gateway's clock"
                : "platform's clock (the gateway's is " + describe(errorMillis) + ")") + ", older than the maximum "
                + "command age (" + maxAgeMillis + " ms)";
    }

    /** @return the gateway clock's error as learnt (its time minus the platform's), zero if none */
    public synchronized Duration clockError() {
        return Duration.ofMillis(errorMillis);
    }

    private void noticeClockSet(long wallMinusMono) {
        if (seen && Math.abs(wallMinusMono - lastWallMinusMono) > STEP_MILLIS) {
            if (errorMillis != 0) {
                LOG.log(INFO, "The gateway''s clock was set ({0} s): command ages are judged by it again",
                        (wallMinusMono - lastWallMinusMono) / 1000);
            }
            errorMillis = 0;
            late = null;
        }
        seen = true;
        lastWallMinusMono = wallMinusMono;
    }

    private void learn(long error, String evidence) {
        late = null;
        boolean material = Math.abs(error - errorMillis) > maxAgeMillis;
        errorMillis = error;
        if (material) {
            LOG.log(WARNING, "The gateway''s clock is {0} ({1}): command ages are measured against the platform''s "
                    + "clock from now on. Set the gateway''s clock right (NTP)", describe(error), evidence);
        }
    }

    private static String describe(long errorMillis) {
        return Math.abs(errorMillis) / 1000 + " s " + (errorMillis > 0 ? "ahead of" : "behind") + " the platform's";
    }
}
