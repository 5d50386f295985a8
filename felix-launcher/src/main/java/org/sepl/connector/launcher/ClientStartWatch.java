package org.sepl.connector.launcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Tells whether the gateway's clients came up: succeeded once {@code expected} {@code ConnectorClient} services are
 * registered (connector.impl registers one per configuration once it is running; it may still be connecting);
 * failed as soon as the client's component reports an error (an invalid configuration: connector.impl's own log, or
 * SCR's activation failure in the OSGi log) or anything runs out of memory while starting.
 * <p>
 * It watches java.util.logging (where the launcher's {@link OsgiLogBridge} also forwards the OSGi log), so it needs
 * no knowledge of SCR's API; the service is tracked by its interface name, as the launcher does not share
 * connector.api with the framework.
 */
final class ClientStartWatch extends Handler implements AutoCloseable {

    static final String CLIENT_SERVICE = "org.sepl.connector.api.ConnectorClient";
    /**
     * Loggers of the client's OSGi component: its own errors (an invalid configuration) and SCR's activation
     * failures, which SCR logs under the component's class name. Not the whole client: a connection error at start
     * is retried by the client, not a failure to start.
     */
    private static final String CLIENT_LOGGERS = "org.sepl.connector.impl.osgi.";
    private static final String CLIENT_BUNDLE = "connector.impl";

    private final ServiceTracker<Object, Object> clients;
    private final int expected;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private String failure; // guarded by lock

    private ClientStartWatch(BundleContext context, int expected) throws InvalidSyntaxException {
        this.expected = expected;
        clients = new ServiceTracker<>(context, context.createFilter("(objectClass=" + CLIENT_SERVICE + ")"), null) {
            @Override
            public Object addingService(ServiceReference<Object> reference) {
                signal();
                return reference;
            }
        };
    }

    /** Starts watching; call before the client bundle starts. */
    static ClientStartWatch open(BundleContext context, int expected) {
        try {
            ClientStartWatch watch = new ClientStartWatch(context, expected);
            watch.setLevel(Level.ALL);
            Logger.getLogger("").addHandler(watch);
            watch.clients.open(true);
            return watch;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("every objectClass filter is valid", e);
        }
    }

    /**
     * Waits until the clients run or one fails.
     *
     * @throws GatewayStartException naming the problem, if a client failed, memory ran out or {@code timeout} passed
     */
    void await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (failure != null) {
                    throw new GatewayStartException(failure);
                }
                if (clients.size() >= expected) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new GatewayStartException("no client running " + timeout.toSeconds() + " s after the start ("
                            + clients.size() + " of " + expected + "): see scr:info org.sepl.connector.client in the shell");
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void publish(LogRecord record) {
        String problem = null;
        if (outOfMemory(record.getThrown())) {
            problem = "out of memory while starting (maximum heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MiB): " + firstLine(record.getMessage());
        } else if (record.getLevel().intValue() >= Level.SEVERE.intValue() && record.getLoggerName() != null
                && (record.getLoggerName().startsWith(CLIENT_LOGGERS) || record.getLoggerName().equals(CLIENT_BUNDLE))) {
            problem = "the client cannot start: " + firstLine(record.getMessage())
                    + (record.getThrown() != null ? " (" + firstLine(String.valueOf(record.getThrown())) + ")" : "");
        }
        if (problem != null) {
            lock.lock();
            try {
                if (failure == null) {
                    failure = problem;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static boolean outOfMemory(Throwable t) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int end = s.indexOf('\n');
        return (end < 0 ? s : s.substring(0, end)).strip();
    }

    @Override
    public void flush() {
    }

    /** Stops watching. */
    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        clients.close();
    }
}
