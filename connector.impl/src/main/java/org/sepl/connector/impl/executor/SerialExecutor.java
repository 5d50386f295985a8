package org.sepl.connector.impl.executor;

import static java.lang.System.Logger.Level.WARNING;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs its tasks one at a time, in submission order, on threads of a shared pool: a client's serial lane
 * ({@code control}, {@code callbacks}, {@code changes}) when clients share their threads. It holds a pool thread only
 * while it has work. Shutting it down affects this lane only, never the pool: {@link #shutdownNow()} interrupts the
 * task of this lane that is running, never another lane's.
 */
public final class SerialExecutor extends AbstractExecutorService {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    private final String name;
    private final Object lock = new Object();
    // all guarded by lock
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;
    private Thread runner;
    private boolean interruptedRunner;
    private boolean shutdown;

    /** @param name for log lines about a failed task */
    public SerialExecutor(Executor pool, String name) {
        this.pool = Objects.requireNonNull(pool, "pool must not be null");
        this.name = Objects.requireNonNull(name, "name must not be null");
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task must not be null");
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException(name + " is shut down");
            }
            queue.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                queue.remove(task);
                draining = false;
                lock.notifyAll();
            }
            throw e;
        }
    }

    /**
     * Runs {@code task} on the calling thread, as this lane's task, if the lane is idle (nothing running, nothing
     * queued): one task at a time and in order still hold, and the hand-over to a pool thread is saved. Whatever is
     * queued meanwhile is drained by a pool thread afterwards, never by the caller.
     *
     * @return false if the lane was busy (or shut down): nothing was run, queue the task instead
     */
    public boolean runHereIfIdle(Runnable task) {
        synchronized (lock) {
            if (shutdown || draining) {
                return false;
            }
            draining = true;
            runner = Thread.currentThread();
        }
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.log(WARNING, "A task of " + name + " failed", e);
        } finally {
            boolean more;
            synchronized (lock) {
                runner = null;
                if (interruptedRunner) {
                    Thread.interrupted(); // meant for this lane's task, not for the caller
                    interruptedRunner = false;
                }
                more = !queue.isEmpty();
                if (!more) {
                    draining = false;
                    lock.notifyAll();
                }
            }
            if (more) {
                handToPool();
            }
        }
        return true;
    }

    private void handToPool() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain(); // the pool is gone (the client is closing): what was accepted still runs, here
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (lock) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    lock.notifyAll();
                    return;
                }
                runner = Thread.currentThread();
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.log(WARNING, "A task of " + name + " failed", e);
            } finally {
                synchronized (lock) {
                    runner = null;
                    if (interruptedRunner) {
                        // the interrupt was meant for this lane's task: the pool thread goes on clean
                        Thread.interrupted();
                        interruptedRunner = false;
                    }
                }
            }
        }
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
            lock.notifyAll();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        synchronized (lock) {
            shutdown = true;
            List<Runnable> dropped = new ArrayList<>(queue);
            queue.clear();
            if (runner != null && !interruptedRunner) {
                interruptedRunner = true;
                runner.interrupt();
            }
            lock.notifyAll();
            return dropped;
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && !draining;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!(shutdown && !draining)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return "SerialExecutor[" + name + "]";
    }
}
