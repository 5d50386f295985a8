package org.sepl.connector.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Forwards the OSGi Log Service's entries (SCR, FileInstall, Config Admin, any bundle using {@code LogService} or
 * the R7 {@code Logger}) to java.util.logging, under the entry's logger name (or the bundle's symbolic name): a
 * {@link LogListener} on every {@link LogReaderService}, as the Log Service specification intends. The
 * {@code org.osgi.service.log} package comes from the system bundle (see {@link GatewayFramework}), so these are
 * the types the Felix Log bundle implements. The log bundle calls {@link #logged} on its own thread.
 */
final class OsgiLogBridge implements LogListener, AutoCloseable {

    private final ServiceTracker<LogReaderService, LogReaderService> tracker;

    private OsgiLogBridge(BundleContext context) {
        tracker = new ServiceTracker<>(context, LogReaderService.class, null) {
            @Override
            public LogReaderService addingService(ServiceReference<LogReaderService> reference) {
                LogReaderService reader = super.addingService(reference);
                if (reader != null) {
                    reader.addLogListener(OsgiLogBridge.this);
                }
                return reader;
            }

            @Override
            public void removedService(ServiceReference<LogReaderService> reference, LogReaderService reader) {
                reader.removeLogListener(OsgiLogBridge.this);
                super.removedService(reference, reader);
            }
        };
    }

    /**
     * Starts listening, waiting at most {@code timeout} for a Log Reader Service.
     *
     * @throws IllegalStateException if none came
     */
    static OsgiLogBridge attach(BundleContext context, Duration timeout) throws InterruptedException {
        OsgiLogBridge bridge = new OsgiLogBridge(context);
        bridge.tracker.open();
        if (bridge.tracker.waitForService(timeout.toMillis()) == null) {
            bridge.close();
            throw new IllegalStateException("no OSGi Log Reader Service within " + timeout);
        }
        return bridge;
    }

    @Override
    public void logged(LogEntry entry) {
        Level level = level(entry);
        String name = loggerName(entry);
        Logger logger = Logger.getLogger(name);
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, entry.getMessage());
        record.setLoggerName(name);
        record.setThrown(entry.getException());
        record.setInstant(Instant.ofEpochMilli(entry.getTime()));
        logger.log(record);
    }

    private static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        // "LogService" is the name of every entry logged through the old LogService API: the bundle says more.
        if (name == null || "LogService".equals(name)) {
            Bundle bundle = entry.getBundle();
            return bundle == null || bundle.getSymbolicName() == null ? "osgi" : bundle.getSymbolicName();
        }
        return name;
    }

    private static Level level(LogEntry entry) {
        return switch (entry.getLogLevel()) {
            case ERROR -> Level.SEVERE;
            case WARN -> Level.WARNING;
            case AUDIT, INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
            default -> Level.FINEST;
        };
    }

    @Override
    public void close() {
        tracker.close();
    }
}
