package org.sepl.connector.itests.soak;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.itests.soak.SoakProtocol.Report;

/**
 * The soak gateway's command handler, idempotent per task id: the first delivery of a task runs the device action
 * and keeps its result; a duplicate delivery (the same {@code task_id} again) is answered again with that result,
 * without running the action twice. Written when connector.impl handed every delivery to the handler; the client now
 * answers a repeated task itself ({@code CommandReplies}), and this memory checks it at the action. Bounded: the last
 * {@value #REMEMBERED} task ids (a platform delivers a duplicate right after the original).
 * <p>
 * Each answer goes through the outbox with {@link ConnectorClient#sendResponse}, which reports it stored; the
 * handler returns null (CommandHandler's "answer later" form).
 */
final class IdempotentCommands implements CommandHandler {

    static final int REMEMBERED = 10_000;

    private final ConnectorClient client;
    private final ReportLines reports;
    private final AtomicInteger unreported = new AtomicInteger();
    private boolean closed; // guarded by results
    private final Map<String, String> results = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    IdempotentCommands(ConnectorClient client, ReportLines reports) {
        this.client = client;
        this.reports = reports;
    }

    @Override
    public CommandResult handle(Command command) {
        String task = command.taskId();
        synchronized (results) {
            if (closed) {
                return null; // the gateway is stopping: a command arriving now goes unanswered, as in any shutdown
            }
            reports.report(Report.HANDLED, task);
            String result = results.get(task);
            if (result == null) {
                result = act(command);
                results.put(task, result);
                reports.report(Report.RAN, task);
            }
            unreported.incrementAndGet();
            client.sendResponse(command, result, null).stored().whenComplete((stored, refused) -> {
                if (refused == null) {
                    reports.report(Report.ANSWER_STORED, task);
                }
                unreported.decrementAndGet();
            });
        }
        return null;
    }

    /**
     * Takes no more commands, then waits (up to {@code timeout}) until the storage of every answer given so far was
     * reported, so that a life that stops normally reported every answer it stored.
     */
    void close(Duration timeout) throws InterruptedException {
        synchronized (results) {
            closed = true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unreported.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling a condition with a deadline
        }
    }

    /** The device action: here only its result. */
    private static String act(Command command) {
        return "{\"done\":\"" + command.serviceId() + "\",\"input\":" + (command.data() == null ? 0 : command.data().length())
                + "}";
    }
}
