package org.sepl.connector.impl.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.outbox.FullPolicy;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.impl.LogCapture;

/** Rates, time until full and the early warning, on a clock the test moves one sample (a second) at a time. */
class FillForecastTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final OutboxLimits LIMITS = OutboxLimits.DEFAULT; // 100,000 messages, 64 MiB

    private final LogCapture log = new LogCapture(FillForecast.class);
    private final FillForecast forecast = new FillForecast();
    private final Object use = new Object();
    private long now = 42 * SECOND; // any origin: only differences count
    private long stored;
    private long settled;
    private long depth;

    @AfterEach
    void closeLog() {
        log.close();
    }

    /** One second passes with {@code in} stored and {@code out} settled; then a sample. */
    private OutboxFlow second(long in, long out, OutboxLimits limits) {
        now += SECOND;
        stored += in;
        settled += out;
        depth = Math.min(limits.maxMessages(), depth + in - out);
        forecast.sample(now, use, "outbox.db", stored, settled, depth, depth * 100, limits);
        return forecast.flow();
    }

    private long warnings() {
        return log.lines().stream().filter(l -> l.startsWith("WARNING ")).count();
    }

    @Test
    void anOutageAt30EventsASecondIsWarnedAboutTenMinutesBeforeTheDefaultOutboxIsFull() {
        // about an hour of 30 events/s fills 100,000: 3,333 s; the warning comes 10 minutes before, not earlier
        long warnedAt = -1;
        for (int s = 1; s <= 3_400 && warnedAt < 0; s++) {
            OutboxFlow f = second(30, 0, LIMITS);
            if (warnings() > 0) {
                warnedAt = s;
                assertTrue(f.timeUntilFull().compareTo(FillForecast.WARN_HORIZON) < 0, f.toString());
            } else if (s > 60) {
                assertTrue(f.timeUntilFull().compareTo(FillForecast.WARN_HORIZON) >= 0, s + " s: " + f);
            }
        }
        long fullAt = LIMITS.maxMessages() / 30;
        assertTrue(warnedAt > 0, "warned before it was full");
        assertTrue(fullAt - warnedAt >= 540 && fullAt - warnedAt <= 660,
                "warned " + (fullAt - warnedAt) + " s before it is full, about 10 minutes");
        assertTrue(log.has(Level.WARNING, "outbox.db will be full in about", "min at the current pace",
                "in 30/s, out 0.0/s", "new messages are refused", "full.policy=REFUSE_NEW"), log.lines().toString());
        OutboxFlow f = forecast.flow();
        assertEquals(30, f.ingestPerSecond(), 0.5, "a minute's average of a steady 30/s");
        assertEquals(0, f.drainPerSecond(), 1e-9);

        // repeated at most every 5 minutes while it lasts, and once full it says so
        for (int s = 1; s < FillForecast.WARN_REPEAT.toSeconds(); s++) {
            second(30, 0, LIMITS);
        }
        assertEquals(1, warnings(), "not again within " + FillForecast.WARN_REPEAT);
        second(30, 0, LIMITS);
        assertEquals(2, warnings(), "again after " + FillForecast.WARN_REPEAT);
        while (depth < LIMITS.maxMessages()) {
            second(30, 0, LIMITS);
        }
        assertEquals(Duration.ZERO, forecast.flow().timeUntilFull());
        assertTrue(log.has(Level.WARNING, "outbox.db is full at the current pace"), "said at once: "
                + log.lines());
    }

    @Test
    void aBurstIsNotATrendAndAFlatOutboxIsNotFilling() {
        second(0, 0, LIMITS);
        OutboxFlow f = second(5_000, 0, LIMITS); // a second's burst while the link was away
        assertTrue(f.timeUntilFull().compareTo(FillForecast.WARN_HORIZON) > 0, f.toString());
        for (int s = 0; s < 15 * 60; s++) {
            f = second(0, 0, LIMITS);
        }
        assertNull(f.timeUntilFull(), "no growth for 15 minutes: not filling");
        assertEquals(0, warnings(), log.lines().toString());
    }

    @Test
    void aDrainingOutboxIsNotFillingAndItsRatesAreBothShown() {
        depth = 50_000;
        OutboxFlow f = null;
        for (int s = 0; s < 300; s++) {
            f = second(100, 150, LIMITS);
        }
        assertNull(f.timeUntilFull());
        assertEquals(100, f.ingestPerSecond(), 2, "five minutes of a steady 100/s");
        assertEquals(150, f.drainPerSecond(), 2);
        assertEquals(0, warnings());
    }

    @Test
    void aFullDropOldestOutboxSaysItDropsTheOldest() {
        OutboxLimits small = LIMITS.withMaxMessages(1_000).withFullPolicy(FullPolicy.DROP_OLDEST);
        for (int s = 0; s < 200; s++) {
            second(10, 0, small);
        }
        assertEquals(Duration.ZERO, forecast.flow().timeUntilFull());
        assertTrue(log.has(Level.WARNING, "is full", "the oldest messages are dropped", "full.policy=DROP_OLDEST"),
                log.lines().toString());
    }

    @Test
    void takingAnOutboxThatHoldsMuchIsNotGrowth() {
        second(1, 1, LIMITS);
        depth = 90_000; // a durable outbox taken with what it held from before
        now += SECOND;
        forecast.sample(now, new Object(), "outbox.db", stored, settled, depth, depth * 100, LIMITS);
        assertNull(forecast.flow().timeUntilFull(), forecast.flow().toString());
        assertEquals(0, warnings());
    }
}
