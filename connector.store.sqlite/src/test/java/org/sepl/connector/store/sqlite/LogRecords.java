package org.sepl.connector.store.sqlite;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What this bundle logs while a test runs (System.Logger goes to java.util.logging in tests). */
final class LogRecords extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("org.sepl.connector.store.sqlite");
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogRecords() {
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    /** @return the lines at WARNING or above */
    List<String> warningsAndErrors() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }

    List<String> lines() {
        return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
