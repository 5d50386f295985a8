package org.sepl.connector.impl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.impl.wire.WireCodec;

/** A task the platform delivers again runs once and is answered each time; the memory of tasks is bounded. */
class CommandRepliesTest {

    private final List<OutboxMessage> resent = new ArrayList<>();
    private final CommandReplies replies = new CommandReplies(new WireCodec(), resent::add);

    private static Command command(String task) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("task_id", task);
        f.put("device_url", "lamp-1");
        f.put("service_url", "set_on");
        f.put("protocol_parts", null);
        return new Command(f);
    }

    @Test
    void aRepeatOfAnAnsweredTaskGetsTheSameAnswerAgainAtOnce() {
        assertFalse(replies.repeated(command("t1")), "first delivery: runs");
        OutboxMessage answer = replies.answer(command("t1"), "{\"on\":true}", null);
        assertTrue(resent.isEmpty());
        assertTrue(replies.repeated(command("t1")), "second delivery: does not run");
        assertEquals(1, resent.size());
        assertSame(answer, resent.get(0));
    }

    @Test
    void aRepeatOfARunningTaskGetsTheAnswerWhenItComes() {
        assertFalse(replies.repeated(command("t2")));
        assertTrue(replies.repeated(command("t2")));
        assertTrue(replies.repeated(command("t2")));
        assertTrue(resent.isEmpty(), "nothing to answer yet");
        OutboxMessage answer = replies.answer(command("t2"), null, "{\"error\":\"x\"}");
        assertEquals(List.of(answer, answer), resent, "each repeat answered once");
    }

    @Test
    void onlyTheNewestTasksAreRemembered() {
        assertFalse(replies.repeated(command("oldest")));
        for (int i = 0; i < CommandReplies.REMEMBERED_TASKS; i++) {
            assertFalse(replies.repeated(command("t" + i)));
        }
        assertFalse(replies.repeated(command("oldest")), "forgotten: it runs again");
        assertTrue(replies.repeated(command("t" + (CommandReplies.REMEMBERED_TASKS - 1))));
    }

    @Test
    void anAnswerForATaskNeverSeenIsSentOnce() {
        replies.answer(command("from-code"), "{}", null);
        assertTrue(resent.isEmpty());
    }
}
