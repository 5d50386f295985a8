package org.sepl.connector.itests.soak;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * A daemon thread that runs a step at a steady rate until stopped: step {@code n} is due {@code n} periods after the
 * start, so a slow step is caught up on, not drifted from. The soak's load generators (events, commands, device
 * changes) run on one each.
 */
final class PacedLoop {

    private final long periodNanos;
    private final LongConsumer step;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param step given the step's number, from 0 */
    PacedLoop(String name, Duration period, LongConsumer step) {
        this.periodNanos = period.toNanos();
        this.step = step;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops after the step being run; returns once no more will be. */
    void stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(10_000);
    }

    private void run() {
        long start = System.nanoTime();
        for (long n = 0; running; n++) {
            long wait;
            while (running && (wait = start + n * periodNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait); // pacing, not waiting for a condition
            }
            if (running) {
                step.accept(n);
            }
        }
    }
}
