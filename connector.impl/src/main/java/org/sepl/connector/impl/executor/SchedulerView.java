package org.sepl.connector.impl.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client's timer on a scheduler shared by several clients. Its tasks run on the shared scheduler's thread (they
 * must be short, as on a timer of one's own); shutting the view down cancels its own tasks only and leaves the
 * shared scheduler running. {@link #awaitTermination} waits until none of its tasks runs any more.
 */
public final class SchedulerView extends AbstractExecutorService implements ScheduledExecutorService {

    private final ScheduledExecutorService shared;
    private final String name;
    private final Set<ScheduledFuture<?>> scheduled = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    // guarded by lock
    private boolean shutdown;
    private int running;

    public SchedulerView(ScheduledExecutorService shared, String name) {
        this.shared = Objects.requireNonNull(shared, "shared must not be null");
        this.name = Objects.requireNonNull(name, "name must not be null");
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command must not be null");
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        return track(self, shared.schedule(() -> {
            try {
                runTracked(command);
            } finally {
                forget(self[0]);
            }
        }, delay, unit));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable must not be null");
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        return track(self, shared.schedule(() -> {
            enter();
            try {
                return callable.call();
            } finally {
                leave();
                forget(self[0]);
            }
        }, delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command must not be null");
        return track(new ScheduledFuture<?>[1], shared.scheduleAtFixedRate(() -> runTracked(command), initialDelay,
                period, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command must not be null");
        return track(new ScheduledFuture<?>[1], shared.scheduleWithFixedDelay(() -> runTracked(command), initialDelay,
                delay, unit));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private <F extends ScheduledFuture<?>> F track(ScheduledFuture<?>[] self, F future) {
        self[0] = future;
        scheduled.add(future);
        boolean cancel;
        synchronized (lock) {
            cancel = shutdown; // shut down while this was being scheduled
        }
        if (cancel) {
            future.cancel(false);
            scheduled.remove(future);
            throw new RejectedExecutionException(name + " is shut down");
        }
        if (future.isDone()) {
            scheduled.remove(future); // ran (or failed) before it was tracked
        }
        return future;
    }

    private void forget(ScheduledFuture<?> future) {
        if (future != null) {
            scheduled.remove(future);
        }
    }

    private void runTracked(Runnable command) {
        enter();
        try {
            command.run();
        } finally {
            leave();
        }
    }

    /** A task due after shutdown does not run (it may have been taken by the shared thread just before). */
    private void enter() {
        synchronized (lock) {
            if (shutdown) {
                throw new java.util.concurrent.CancellationException(name + " is shut down");
            }
            running++;
        }
    }

    private void leave() {
        synchronized (lock) {
            running--;
            lock.notifyAll();
        }
    }

    @Override
    public void shutdown() {
        shutdownNow();
    }

    /** Cancels this view's tasks (not interrupting the shared thread: it may be running another client's task). */
    @Override
    public List<Runnable> shutdownNow() {
        synchronized (lock) {
            shutdown = true;
        }
        for (ScheduledFuture<?> f : new ArrayList<>(scheduled)) {
            f.cancel(false);
        }
        scheduled.clear();
        return List.of();
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
            return shutdown && running == 0;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!(shutdown && running == 0)) {
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
        return "SchedulerView[" + name + "]";
    }
}
