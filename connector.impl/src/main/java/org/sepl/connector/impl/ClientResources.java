package org.sepl.connector.impl;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.sepl.connector.impl.executor.DaemonThreads;
import org.sepl.connector.impl.transport.HttpClients;

/**
 * Threads shared by many clients in one JVM (a fleet of gateways, a test harness), instead of each client having its
 * own: the JDK HTTP client with its selector and I/O threads, one timer thread, and a pool on which each client's serial
 * work (connection steps, callbacks, device changes) runs in its own ordered lane. Pass it to
 * {@link ConnectorClientBuilder#resources(ClientResources)}.
 * <p>
 * The clients do not own it: closing a client leaves it (and the other clients) running. Close it after the last
 * client that uses it. Each client's guarantees stay as with threads of its own: its connection steps run one at a
 * time in order, its callbacks in order; timer tasks are short and all run on the one timer thread. Command handlers
 * still run on the client's own (idle-timed) command threads, so that one client's slow handler cannot hold up
 * another client.
 */
public final class ClientResources implements AutoCloseable {

    /**
     * Seconds an idle lane thread is kept. The pool grows with the lanes busy at once (a connect blocks its lane for
     * the handshake), so a fleet reconnecting after a platform restart briefly uses more; idle, it shrinks to none.
     */
    static final int LANE_THREAD_KEEP_ALIVE_SECONDS_DEFAULT = 10;

    private final HttpClients httpClients = new HttpClients("sepl-connector-shared-io");
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor lanes;

    public ClientResources() {
        this(LANE_THREAD_KEEP_ALIVE_SECONDS_DEFAULT);
    }

    /** For tests that wait for the idle lane threads to end. */
    ClientResources(int laneThreadKeepAliveSeconds) {
        timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("sepl-connector-shared-timer"));
        timer.setRemoveOnCancelPolicy(true); // a closed client's periodic tasks leave the queue at once
        // unbounded but idle-timed: a lane blocked in a connect must not hold up the other clients' lanes
        lanes = new ThreadPoolExecutor(0, Integer.MAX_VALUE, laneThreadKeepAliveSeconds, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.named("sepl-connector-shared-lane"));
    }

    HttpClients httpClients() {
        return httpClients;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    Executor lanes() {
        return lanes;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return timer.isShutdown();
    }

    /** Ends the shared threads. Clients still using them stop working: close them first. Idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
        lanes.shutdownNow();
        httpClients.close();
    }

    @Override
    public String toString() {
        return "ClientResources[lane threads " + lanes.getPoolSize() + ", HTTP clients " + httpClients.clientCount() + "]";
    }
}
