package org.sepl.connector.impl.command;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.impl.logging.RateLimitedLog;
import org.sepl.connector.impl.wire.WireCodec;

/**
 * The one place command answers are made (a handler's result, the client's error answers, the user's
 * {@code respond}), and the memory of recent task ids that lets a command the platform delivers again (the same
 * {@code task_id}: resent after a link loss, or duplicated) run once and be answered each time (docs/PROTOCOL.md §5):
 * a repeat of an answered task gets the same answer again at once; a repeat of a task still running gets it when it
 * comes. Thread-safe.
 * <p>
 * Bounded: the last {@value #REMEMBERED_TASKS} task ids with their answers; an older task delivered again runs again
 * (the platform repeats a task soon after its first delivery, if at all).
 */
public final class CommandReplies {

    private static final System.Logger LOG = System.getLogger(CommandReplies.class.getName());
    /** Task ids remembered, the newest; each with its answer once known. */
    static final int REMEMBERED_TASKS = 1_000;

    private static final class Task {
        OutboxMessage answer;
        int copiesWaiting;
    }

    private final WireCodec codec;
    private final Consumer<OutboxMessage> resend;
    private final Map<String, Task> tasks = new LinkedHashMap<>(); // guarded by this; in arrival order
    private final RateLimitedLog repeatLog = new RateLimitedLog(LOG, 60_000);

    /** @param resend sends an answer again (for a repeated delivery), through the client's send path */
    public CommandReplies(WireCodec codec, Consumer<OutboxMessage> resend) {
        this.codec = codec;
        this.resend = resend;
    }

    /**
     * A command arrived.
     *
     * @return true if its task was delivered before: it must not run again; it is answered again here (answered
     *         already) or when its first delivery's answer is made
     */
    public boolean repeated(Command command) {
        String id = command.taskId();
        if (id == null || id.isEmpty()) {
            return false;
        }
        OutboxMessage again;
        synchronized (this) {
            Task t = tasks.get(id);
            if (t == null) {
                tasks.put(id, new Task());
                forgetOldest();
                return false;
            }
            again = t.answer;
            if (again == null) {
                t.copiesWaiting++;
            }
        }
        repeatLog.warn("The platform delivered task " + id + " again: answered again without running it");
        if (again != null) {
            resend.accept(again);
        }
        return true;
    }

    /**
     * The answer to {@code command}: remembered for a repeated delivery, and sent again to those already waiting.
     *
     * @return the message to send
     */
    public OutboxMessage answer(Command command, String data, String metadata) {
        OutboxMessage answer = codec.answerMessage(command, data, metadata);
        int copies = 0;
        String id = command.taskId();
        if (id != null) {
            synchronized (this) {
                Task t = tasks.get(id);
                if (t != null && t.answer == null) {
                    t.answer = answer;
                    copies = t.copiesWaiting;
                    t.copiesWaiting = 0;
                }
            }
        }
        for (int i = 0; i < copies; i++) {
            resend.accept(answer);
        }
        return answer;
    }

    private void forgetOldest() {
        for (Iterator<String> it = tasks.keySet().iterator(); tasks.size() > REMEMBERED_TASKS && it.hasNext();) {
            it.next();
            it.remove();
        }
    }
}
