package org.sepl.connector.itests.soak;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.sepl.connector.itests.soak.SoakProtocol.Report;

/**
 * The soak gateway's stdout: reports queued by any thread (a client callback must not wait for a pipe) and printed by
 * a thread of their own, each line flushed at once, so that a line the test read was reported before any kill.
 */
final class ReportLines implements AutoCloseable {

    private static final String END = "\u0000end";

    private final PrintStream out;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Thread printer;

    ReportLines(PrintStream out) {
        this.out = out;
        printer = new Thread(this::print, "soak-reports");
        printer.setDaemon(true);
        printer.start();
    }

    /** Queues {@code kind ARGUMENTS}; arguments are joined with spaces, line breaks replaced. */
    void report(Report kind, Object... arguments) {
        StringBuilder line = new StringBuilder(kind.word());
        for (Object a : arguments) {
            line.append(' ').append(String.valueOf(a).replace('\n', ' ').replace('\r', ' '));
        }
        queue.add(line.toString());
    }

    private void print() {
        try {
            for (String line = queue.take(); !END.equals(line); line = queue.take()) {
                out.println(line);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints what is queued, then stops. */
    @Override
    public void close() throws InterruptedException {
        queue.add(END);
        printer.join(10_000);
    }
}
