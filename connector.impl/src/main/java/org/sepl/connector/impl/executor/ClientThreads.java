package org.sepl.connector.impl.executor;

import static java.lang.System.Logger.Level.WARNING;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one client (connector.impl/README.md, "Threads"): five serial lanes, each running one task at a
 * time in submission order, on a pool of lane threads; a timer; and the command threads.
 * <ul>
 * <li>{@link #control}: the connection's steps (connect, handshake, synchronise); may block for a request's
 * timeout.</li>
 * <li>{@link #outbox}: the outbox's owner: reads, sends and settles its messages; never blocks on the network.</li>
 * <li>{@link #changes}: device changes, the device ledger and the device-manager hand-over.</li>
 * <li>{@link #callbacks}: user code only: callers' stages and connection listeners; nothing of the client waits
 * for it.</li>
 * <li>{@link #timer}: deadlines, keep-alive, delays; its tasks are short and hand work to a lane.</li>
 * <li>{@link #commands}: command handlers (user code that may block), {@value #COMMAND_THREADS} at most.</li>
 * </ul>
 * The lane pool and the timer are the client's own (idle lane threads end after a while), or shared with other
 * clients (then never shut down here: their owner does that). Command threads are always the client's own, so that
 * one client's slow handler never holds up another client.
 */
public final class ClientThreads implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClientThreads.class.getName());
    /** Handlers that run at once for one client. */
    public static final int COMMAND_THREADS = 4;
    /** Seconds an idle lane or command thread is kept. */
    public static final int IDLE_THREAD_SECONDS = 10;

    public final ExecutorService control;
    /** A {@link SerialExecutor}: its work may run on a waiting caller's thread ({@link SerialExecutor#runHereIfIdle}). */
    public final SerialExecutor outbox;
    public final ExecutorService changes;
    public final ExecutorService callbacks;
    public final ScheduledExecutorService timer;
    public final ThreadPoolExecutor commands;
    /** The pool and timer this client made, ended by {@link #close()}; null when shared. */
    private final ThreadPoolExecutor ownPool;
    private final ScheduledThreadPoolExecutor ownTimer;

    private ClientThreads(String name, Executor lanePool, ScheduledExecutorService sharedTimer,
            ThreadPoolExecutor ownPool, ScheduledThreadPoolExecutor ownTimer) {
        this.ownPool = ownPool;
        this.ownTimer = ownTimer;
        control = new SerialExecutor(lanePool, "sepl-connector-control " + name);
        outbox = new SerialExecutor(lanePool, "sepl-connector-outbox " + name);
        changes = new SerialExecutor(lanePool, "sepl-connector-changes " + name);
        callbacks = new SerialExecutor(lanePool, "sepl-connector-callbacks " + name);
        timer = new SchedulerView(sharedTimer, "sepl-connector-timer " + name);
        commands = new ThreadPoolExecutor(COMMAND_THREADS, COMMAND_THREADS, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named("sepl-connector-commands " + name));
        commands.allowCoreThreadTimeOut(true);
    }

    /** Threads of the client's own, named after {@code name} (its account). */
    public static ClientThreads own(String name) {
        ThreadPoolExecutor pool = lanePool("sepl-connector " + name);
        ScheduledThreadPoolExecutor timer = timer("sepl-connector-timer " + name);
        return new ClientThreads(name, pool, timer, pool, timer);
    }

    /** Lanes on a shared pool (which must start a task at once however many run), timers on a shared timer. */
    public static ClientThreads shared(String name, Executor lanePool, ScheduledExecutorService timer) {
        return new ClientThreads(name, lanePool, timer, null, null);
    }

    /**
     * A pool for lanes: unbounded but idle-timed, since a lane blocked in a connect must not hold up the others; it
     * grows with the lanes busy at once and shrinks to none when idle.
     */
    public static ThreadPoolExecutor lanePool(String threadName) {
        return lanePool(threadName, IDLE_THREAD_SECONDS);
    }

    /** {@link #lanePool(String)} with idle threads kept {@code idleSeconds} (tests wait for them to end). */
    public static ThreadPoolExecutor lanePool(String threadName, int idleSeconds) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, idleSeconds, TimeUnit.SECONDS, new SynchronousQueue<>(),
                DaemonThreads.named(threadName));
    }

    /** A timer whose cancelled tasks leave its queue at once (a closed client's periodic tasks). */
    public static ScheduledThreadPoolExecutor timer(String threadName) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(threadName));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * Ends this client's threads: the control lane, timer and command threads at once (interrupting what runs), the
     * lanes that complete work after their queued tasks; waits up to 5 s for each. Shared pools stay.
     */
    @Override
    public void close() {
        control.shutdownNow();
        timer.shutdownNow();
        commands.shutdownNow();
        changes.shutdown();
        outbox.shutdown();
        callbacks.shutdown();
        try {
            for (ExecutorService e : List.of(control, timer, commands, changes, outbox, callbacks)) {
                if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.log(WARNING, "A client thread did not stop within 5 s: {0}", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownPool != null) {
            ownPool.shutdown();
            ownTimer.shutdownNow();
        }
    }

    /** @return whether this client's lanes are shut down */
    public boolean isClosed() {
        return control.isShutdown();
    }
}
