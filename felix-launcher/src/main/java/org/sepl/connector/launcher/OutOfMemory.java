package org.sepl.connector.launcher;

import java.nio.charset.StandardCharsets;

/**
 * What the launcher does when the heap runs out: one line on standard error, then exit status 1 at once, without
 * the stop hook (stopping a framework that ran out of memory can hang; a service manager restarts the gateway, and
 * the client's stores are crash-safe). Like {@code -XX:+ExitOnOutOfMemoryError}, with a message saying what to do.
 * The line is prepared in advance: there may be no memory left to build it.
 */
final class OutOfMemory {

    private static final long MAX_HEAP_MIB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    private static final byte[] LINE = ("felix-launcher: out of memory (maximum heap " + MAX_HEAP_MIB
            + " MiB); give the JVM more, e.g. -Xmx32m" + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);

    private OutOfMemory() {
    }

    /** An {@link OutOfMemoryError} no code caught, in any thread, ends the process with {@link #exit()}. */
    static void exitOnUncaught() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError) {
                exit();
            } else if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                thread.getThreadGroup().uncaughtException(thread, error);
            }
        });
    }

    /** Writes the line and halts with status {@value Main#EXIT_CANNOT_START}. */
    static void exit() {
        System.err.write(LINE, 0, LINE.length);
        System.err.flush();
        Runtime.getRuntime().halt(Main.EXIT_CANNOT_START);
    }
}
