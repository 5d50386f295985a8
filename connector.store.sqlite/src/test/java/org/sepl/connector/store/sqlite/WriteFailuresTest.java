package org.sepl.connector.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A full disk for minutes, with writes that fit now and then, costs a line a minute, not a line a write. */
class WriteFailuresTest {

    private final List<String> lines = new ArrayList<>();
    private long now = 1_000;
    private final WriteFailures failures = new WriteFailures("outbox /x/outbox.db", () -> now, new System.Logger() {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    });
    private static final SQLException FULL = new SQLException("[SQLITE_FULL] database or disk is full", null, 13);

    private void seconds(long s) {
        now += TimeUnit.SECONDS.toNanos(s);
    }

    @Test
    void aLongFullDiskWithWritesFittingNowAndThenIsOneEpisodeOfAFewLines() {
        for (int second = 0; second < 180; second++) { // three minutes: 10 failed writes a second, one stored
            for (int i = 0; i < 10; i++) {
                failures.failed(FULL, true, 100);
            }
            failures.succeeded(false); // settlements go through: not a sign of room
            failures.succeeded(second % 7 == 0); // now and then a small write fits
            seconds(1);
        }
        long errors = lines.stream().filter(l -> l.startsWith("ERROR")).count();
        long warnings = lines.stream().filter(l -> l.startsWith("WARNING")).count();
        long infos = lines.stream().filter(l -> l.startsWith("INFO")).count();
        assertEquals(1, errors, lines.toString());
        assertTrue(warnings >= 2 && warnings <= 3, lines.toString());
        assertTrue(infos >= 2 && infos <= 3, lines.toString());
        assertTrue(lines.get(0).contains("the disk is full") && lines.get(0).contains("DISK_FULL")
                && lines.get(0).contains("writing resumes by itself"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("more writes failed in the last 60 s")),
                lines.toString());
    }

    @Test
    void aFailureAMinuteAfterTheLastOneStartsANewEpisode() {
        failures.failed(FULL, true, 1);
        failures.succeeded(true);
        seconds(61);
        failures.failed(new SQLException("disk I/O error", null, 10), false, 1);
        assertEquals(List.of("ERROR", "INFO", "ERROR"), lines.stream().map(l -> l.split(" ")[0]).toList());
        assertTrue(lines.get(2).contains("STORE_FAILED"), lines.get(2));
    }
}
