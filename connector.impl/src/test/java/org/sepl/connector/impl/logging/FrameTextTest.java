package org.sepl.connector.impl.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FrameTextTest {

    @Test
    void controlCharactersAreEscapedSoAFrameCannotForgeALogLine() {
        String quoted = FrameText.quote("{\"x\":\"a\nWARNING: forged\r\u0000\u001b[31m\u2028\"}");
        assertFalse(quoted.contains("\n") || quoted.contains("\r") || quoted.contains("\u0000") || quoted.contains("\u001b")
                || quoted.contains("\u2028"), quoted);
        assertTrue(quoted.contains("a\\nWARNING: forged\\r\\u0000\\u001b[31m\\u2028"), quoted);
    }

    @Test
    void longFramesAreCutAndTheirLengthGiven() {
        String quoted = FrameText.quote("x".repeat(8 * 1024 * 1024));
        assertTrue(quoted.length() < FrameText.MAX_CHARS + 40, quoted.length() + "");
        assertTrue(quoted.endsWith("…(8388608 chars)"), quoted.substring(quoted.length() - 30));
    }

    @Test
    void tenThousandJunkFramesWriteAFewShortLines() {
        List<String> lines = new ArrayList<>();
        AtomicLong clock = new AtomicLong();
        RateLimitedLog log = new RateLimitedLog(new CapturingLogger(lines), 10_000, clock::get);
        for (int i = 0; i < 10_000; i++) {
            clock.addAndGet(1_000_000); // 1 ms per frame: 10 s in all
            log.warn("Ignoring a malformed frame: " + FrameText.quote("junk " + i + "\n".repeat(1000)));
        }
        assertEquals(1, lines.size(), lines.toString()); // the first, then one at most per 10 s
        clock.addAndGet(1_000_000);
        log.warn("Ignoring a malformed frame: again");
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("9,999 similar warnings not logged") || lines.get(1).contains("9999 similar warnings not logged"),
                lines.get(1));
        assertTrue(lines.stream().mapToInt(String::length).sum() < 1000);
    }

    @Test
    void pluralsAreRight() {
        assertEquals("1 device", Plural.of(1, "device"));
        assertEquals("0 devices", Plural.of(0, "device"));
        assertEquals("10,000 devices", Plural.of(10_000, "device"));
    }

    private record CapturingLogger(List<String> lines) implements System.Logger {
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
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }
    }
}
