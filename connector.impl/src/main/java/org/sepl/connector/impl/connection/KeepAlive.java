package org.sepl.connector.impl.connection;

import java.time.Duration;

/**
 * When to ping and when to give up a link (docs/PROTOCOL.md §1): ping after {@code interval} without receiving
 * anything; no pong within {@code timeout} of the ping and the link is dead. Pure logic on the
 * link's timestamps; the lifecycle's timer calls it.
 */
public final class KeepAlive {

    public enum Verdict { ALIVE, PING, DEAD }

    private final long intervalNanos;
    private final long timeoutNanos;

    public KeepAlive(Duration interval, Duration timeout) {
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
    }

    /** @return how often the timer should look */
    public long checkPeriodMillis() {
        return Math.max(50, Math.min(intervalNanos, timeoutNanos) / 4_000_000);
    }

    /**
     * @param lastReceived when anything last arrived (nanoTime)
     * @param pingSent     when the unanswered ping was sent, 0 if none
     */
    public Verdict check(long now, long lastReceived, long pingSent) {
        if (pingSent != 0) {
            return now - pingSent > timeoutNanos ? Verdict.DEAD : Verdict.ALIVE;
        }
        return now - lastReceived > intervalNanos ? Verdict.PING : Verdict.ALIVE;
    }
}
