package org.sepl.connector.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

/**
 * systemd's journal as the console: whether standard error is connected to it, and the syslog priority of a
 * java.util.logging level. systemd sets {@code JOURNAL_STREAM} to the device and inode of the stream it connected
 * (systemd.exec(5)); a process that inherited the variable but writes elsewhere is not fooled, as the manual asks.
 */
final class Journal {

    static final String JOURNAL_STREAM = "JOURNAL_STREAM";

    private Journal() {
    }

    /** @return whether standard error is the journal's stream (Linux; false wherever it cannot be told) */
    static boolean isStandardError() {
        return isStream(System.getenv(JOURNAL_STREAM), Path.of("/proc/self/fd/2"));
    }

    /** @return whether {@code file} is the stream {@code journalStream} ("DEVICE:INODE", decimal) names */
    static boolean isStream(String journalStream, Path file) {
        if (journalStream == null) {
            return false;
        }
        String[] deviceInode = journalStream.strip().split(":");
        if (deviceInode.length != 2) {
            return false;
        }
        try {
            Object device = Files.getAttribute(file, "unix:dev");
            Object inode = Files.getAttribute(file, "unix:ino");
            return deviceInode[0].equals(String.valueOf(device)) && deviceInode[1].equals(String.valueOf(inode));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** @return the syslog priority (3 error, 4 warning, 6 info, 7 debug) of a java.util.logging level */
    static int priority(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (value >= Level.WARNING.intValue()) {
            return 4;
        }
        if (value >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }
}
