package org.sepl.connector.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record: {@code 2026-01-01 12:00:00.123 INFO    logger.name - message}, then the stack trace if
 * there is one. For systemd's journal the line starts with its syslog priority instead of the time, e.g.
 * {@code <4>WARNING logger.name - message} (sd-daemon(3)): the journal stamps the time itself and
 * {@code journalctl -p warning} then finds the warnings. Thread-safe.
 */
public final class OneLineFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final boolean journal;

    /** Lines with the time. */
    public OneLineFormatter() {
        this(false);
    }

    /** @param journal lines for systemd's journal: the priority instead of the time */
    public OneLineFormatter(boolean journal) {
        this.journal = journal;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128);
        if (journal) {
            line.append('<').append(Journal.priority(record.getLevel())).append('>');
        } else {
            line.append(TIME.format(record.getInstant())).append(' ');
        }
        line
                .append(String.format("%-7s", record.getLevel().getName())).append(' ')
                .append(record.getLoggerName()).append(" - ").append(formatMessage(record))
                .append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }
}
