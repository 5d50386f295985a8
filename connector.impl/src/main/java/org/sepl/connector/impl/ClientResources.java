package org.sepl.connector.impl;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.impl.executor.ClientThreads;

/**
 * Threads and a transport shared by many clients in one JVM (a fleet of gateways, a test harness), instead of each
 * client having its own: one transport (its I/O threads and connections' container), one timer thread, and a pool on
 * which each client's serial work (connection steps, outbox, callbacks, device changes) runs in its own ordered
 * lane. Pass it to {@link ConnectorClientBuilder#resources(ClientResources)}; with the API alone, the same is
 * {@code builder.threads(...).transport(...)}.
 * <p>
 * The clients do not own it: closing a client leaves it (and the other clients) running. Close it after the last
 * client that uses it. Each client's guarantees stay as with threads of its own. Command handlers still run on the
 * client's own (idle-timed) command threads, so that one client's slow handler cannot hold up another client.
 */
public final class ClientResources implements AutoCloseable {

    private final WebSocketTransport transport;
    private final ScheduledThreadPoolExecutor timer = ClientThreads.timer("sepl-connector-shared-timer");
    private final ThreadPoolExecutor lanes;

    /** Shares the highest-ranked transport on the class path. */
    public ClientResources() {
        this(ClassPathDefaults.transport(""));
    }

    /** Shares this transport (closed with these resources). */
    public ClientResources(WebSocketTransport transport) {
        this(transport, ClientThreads.IDLE_THREAD_SECONDS);
    }

    /** For tests that wait for the idle lane threads to end. */
    ClientResources(WebSocketTransport transport, int laneIdleSeconds) {
        this.transport = java.util.Objects.requireNonNull(transport, "transport must not be null");
        this.lanes = ClientThreads.lanePool("sepl-connector-shared-lane", laneIdleSeconds);
    }

    WebSocketTransport transport() {
        return transport;
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

    /** Ends the shared threads and closes the transport. Clients still using them stop working: close them first. */
    @Override
    public void close() {
        timer.shutdownNow();
        lanes.shutdownNow();
        transport.close();
    }

    @Override
    public String toString() {
        return "ClientResources[lane threads " + lanes.getPoolSize() + ", transport " + transport.name() + "]";
    }
}
