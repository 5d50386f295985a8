package org.sepl.connector.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Forwards the OSGi Log Service's entries (SCR, FileInstall, Config Admin, any bundle using {@code LogService} or
 * the R7 {@code Logger}) to java.util.logging, under the entry's logger name (or the bundle's symbolic name).
 * <p>
 * The launcher does not share the {@code org.osgi.service.log} package with the framework (that would tie the
 * launcher's class path to the log bundle's export), so it talks to the Log Reader Service through the
 * interfaces the log bundle exports, by reflection: the listener is a {@link Proxy} of that bundle's
 * {@code LogListener}. The log bundle calls it on its own thread.
 */
final class OsgiLogBridge implements AutoCloseable {

    private static final String READER = "org.osgi.service.log.LogReaderService";

    private final ServiceTracker<Object, Object> tracker;
    private Object reader;
    private Object listener;
    private Method removeLogListener;

    private OsgiLogBridge(ServiceTracker<Object, Object> tracker) {
        this.tracker = tracker;
    }

    /**
     * Registers the bridge with the Log Reader Service, waiting for it at most {@code timeout}.
     *
     * @throws IllegalStateException if no Log Reader Service came or its interfaces are not as specified
     */
    static OsgiLogBridge attach(BundleContext context, Duration timeout) throws InterruptedException {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, READER, null);
        tracker.open(true);
        OsgiLogBridge bridge = new OsgiLogBridge(tracker);
        try {
            Object reader = tracker.waitForService(timeout.toMillis());
            if (reader == null) {
                throw new IllegalStateException("no " + READER + " within " + timeout);
            }
            Bundle logBundle = tracker.getServiceReference().getBundle();
            Class<?> readerType = logBundle.loadClass(READER);
            Class<?> listenerType = logBundle.loadClass("org.osgi.service.log.LogListener");
            Class<?> entryType = logBundle.loadClass("org.osgi.service.log.LogEntry");
            EntryForwarder forwarder = new EntryForwarder(entryType);
            Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] { listenerType },
                    forwarder);
            readerType.getMethod("addLogListener", listenerType).invoke(reader, listener);
            bridge.reader = reader;
            bridge.listener = listener;
            bridge.removeLogListener = readerType.getMethod("removeLogListener", listenerType);
            return bridge;
        } catch (ReflectiveOperationException e) {
            tracker.close();
            throw new IllegalStateException("cannot listen to the OSGi log: " + e, e);
        } catch (RuntimeException | InterruptedException e) {
            tracker.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            removeLogListener.invoke(reader, listener);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // The log bundle is already gone: nothing to remove.
        }
        tracker.close();
    }

    /** The listener's behaviour: turn each {@code LogEntry} into a {@link LogRecord}. */
    private static final class EntryForwarder implements InvocationHandler {

        private final Method getLogLevel;
        private final Method getLoggerName;
        private final Method getMessage;
        private final Method getException;
        private final Method getBundle;
        private final Method getTime;

        EntryForwarder(Class<?> entryType) throws NoSuchMethodException {
            getLogLevel = entryType.getMethod("getLogLevel");
            getLoggerName = entryType.getMethod("getLoggerName");
            getMessage = entryType.getMethod("getMessage");
            getException = entryType.getMethod("getException");
            getBundle = entryType.getMethod("getBundle");
            getTime = entryType.getMethod("getTime");
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "logged" -> {
                    forward(args[0]);
                    return null;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "OsgiLogBridge";
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
        }

        private void forward(Object entry) {
            try {
                Level level = level(String.valueOf(getLogLevel.invoke(entry)));
                String name = loggerName(entry);
                Logger logger = Logger.getLogger(name);
                if (!logger.isLoggable(level)) {
                    return;
                }
                LogRecord record = new LogRecord(level, String.valueOf(getMessage.invoke(entry)));
                record.setLoggerName(name);
                record.setThrown((Throwable) getException.invoke(entry));
                record.setInstant(Instant.ofEpochMilli((Long) getTime.invoke(entry)));
                logger.log(record);
            } catch (InvocationTargetException | IllegalAccessException | RuntimeException e) {
                Logger.getLogger(OsgiLogBridge.class.getName()).log(Level.FINE, "Cannot forward a log entry", e);
            }
        }

        private String loggerName(Object entry) throws InvocationTargetException, IllegalAccessException {
            Object name = getLoggerName.invoke(entry);
            // "LogService" is the name of every entry logged through the old LogService API: the bundle says more.
            if (name == null || "LogService".equals(name)) {
                Bundle bundle = (Bundle) getBundle.invoke(entry);
                return bundle == null || bundle.getSymbolicName() == null ? "osgi" : bundle.getSymbolicName();
            }
            return name.toString();
        }

        private static Level level(String osgiLevel) {
            return switch (osgiLevel) {
                case "ERROR" -> Level.SEVERE;
                case "WARN" -> Level.WARNING;
                case "AUDIT", "INFO" -> Level.INFO;
                case "DEBUG" -> Level.FINE;
                default -> Level.FINEST;
            };
        }
    }
}
