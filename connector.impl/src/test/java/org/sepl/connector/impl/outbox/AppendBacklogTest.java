package org.sepl.connector.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.outbox.OutboxMessage;

/** The bound of what waits to be stored: messages and characters. */
class AppendBacklogTest {

    private static OutboxMessage message(String payload) {
        return new OutboxMessage(OutboxMessage.Kind.EVENT, "meter-1", "reading", payload);
    }

    @Test
    void atMostTheDefaultOutboxsMessagesWait() {
        AppendBacklog backlog = new AppendBacklog();
        OutboxMessage small = message("{}");
        for (long i = 0; i < AppendBacklog.MAX_MESSAGES; i++) {
            assertTrue(backlog.tryAdd(small));
        }
        assertFalse(backlog.tryAdd(small));
        assertTrue(backlog.fullText().contains("100000 messages"), backlog.fullText());
        backlog.removed(small);
        assertTrue(backlog.tryAdd(small), "one stored: one more may wait");
    }

    @Test
    void atMostTheDefaultOutboxsBytesWaitButOneAloneAlwaysFits() {
        AppendBacklog backlog = new AppendBacklog();
        OutboxMessage mebi = message("x".repeat(1024 * 1024));
        long fit = AppendBacklog.MAX_CHARS / (1024 * 1024 + 16);
        for (long i = 0; i < fit; i++) {
            assertTrue(backlog.tryAdd(mebi), "message " + i);
        }
        assertFalse(backlog.tryAdd(mebi));
        for (long i = 0; i < fit; i++) {
            backlog.removed(mebi);
        }
        OutboxMessage huge = message("x".repeat((int) AppendBacklog.MAX_CHARS + 1));
        assertTrue(backlog.tryAdd(huge), "alone: the outbox decides (too large)");
        assertFalse(backlog.tryAdd(message("{}")));
    }
}
