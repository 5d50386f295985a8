package org.sepl.connector.impl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The lines one logger writes while it is open (the client logs through {@link System.Logger}, which is
 * {@code java.util.logging} in these tests), as "LEVEL message" with the parameters filled in.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    /** @param loggerName the class name the logger is named after */
    public LogCapture(Class<?> loggerName) {
        logger = Logger.getLogger(loggerName.getName());
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** @return the lines so far */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** @return whether a line so far starts with {@code level} and holds every one of {@code parts} */
    public boolean has(Level level, String... parts) {
        return lines.stream().anyMatch(l -> l.startsWith(level.getName() + " ") && List.of(parts).stream()
                .allMatch(l::contains));
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getLevel().getName() + " " + formatter.formatMessage(record));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
