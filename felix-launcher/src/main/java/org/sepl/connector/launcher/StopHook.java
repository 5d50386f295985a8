package org.sepl.connector.launcher;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops the gateway cleanly when the JVM is asked to end from outside (SIGTERM from a service manager, Ctrl-C's
 * SIGINT, SIGHUP), and makes that a normal stop: exit status 0, as for {@code stop 0} in the shell, instead of the
 * JVM's 143 or 130 (128 + the signal), which systemd would record as a failure. An exit the launcher asks for itself
 * ({@link #exit}) keeps its status.
 */
final class StopHook {

    private enum State {
        RUNNING,
        /** the launcher called {@link #exit}: the JVM ends with its status */
        EXITING,
        /** the JVM shuts down for another reason (a signal): the hook ends it with status 0 */
        SIGNALLED
    }

    private final Runnable stop;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

    private StopHook(Runnable stop) {
        this.stop = stop;
    }

    /** Registers {@code stop} (idempotent, bounded in time) to run when the JVM shuts down. */
    static StopHook install(Runnable stop) {
        StopHook hook = new StopHook(stop);
        Runtime.getRuntime().addShutdownHook(new Thread(hook::run, "sepl-launcher-shutdown"));
        return hook;
    }

    /**
     * Ends the process with {@code status} (the hook still stops the gateway if it runs); if a signal already began
     * the shutdown, returns at once and the hook ends the process with 0.
     */
    void exit(int status) {
        if (state.compareAndSet(State.RUNNING, State.EXITING)) {
            System.exit(status);
        }
    }

    private void run() {
        boolean signalled = state.compareAndSet(State.RUNNING, State.SIGNALLED);
        stop.run();
        if (signalled) {
            // the gateway stopped as asked; halt is the only way to choose the status from a shutdown hook
            Runtime.getRuntime().halt(0);
        }
    }
}
