package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log lines for systemd's journal: told apart by JOURNAL_STREAM, with their priority. */
class JournalTest {

    @TempDir
    Path dir;

    @Test
    void theJournalIsTheStreamJournalStreamNames() throws Exception {
        Path stream = Files.writeString(dir.resolve("stream"), "");
        String deviceInode = Files.getAttribute(stream, "unix:dev") + ":" + Files.getAttribute(stream, "unix:ino");
        assertTrue(Journal.isStream(deviceInode, stream));
        assertFalse(Journal.isStream(null, stream), "not under systemd");
        assertFalse(Journal.isStream("1:2", stream), "inherited by a process writing elsewhere");
        assertFalse(Journal.isStream("garbage", stream));
    }

    @Test
    void journalLinesCarryTheirPriorityInsteadOfTheTime() {
        LogRecord warning = new LogRecord(Level.WARNING, "disk full");
        warning.setLoggerName("x.y");
        warning.setInstant(Instant.EPOCH);
        assertEquals("<4>WARNING x.y - disk full" + System.lineSeparator(), new OneLineFormatter(true).format(warning));
        assertTrue(new OneLineFormatter().format(warning).matches("\\d{4}-\\d\\d-\\d\\d .* WARNING x\\.y - disk full\\R"));
        assertEquals(3, Journal.priority(Level.SEVERE));
        assertEquals(6, Journal.priority(Level.INFO));
        assertEquals(7, Journal.priority(Level.FINEST));
    }
}
