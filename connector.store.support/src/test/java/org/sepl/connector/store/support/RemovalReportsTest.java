package org.sepl.connector.store.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.outbox.OutboxEntry;
import org.sepl.connector.api.outbox.OutboxListener;
import org.sepl.connector.api.outbox.OutboxMessage;

class RemovalReportsTest {

    private final AtomicLong now = new AtomicLong();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final RemovalReports reports = new RemovalReports("test.db", now::get, TimeUnit.SECONDS.toNanos(10),
            new Capturing());

    private static List<OutboxEntry> entries(int n) {
        List<OutboxEntry> list = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(new OutboxEntry(i, OutboxMessage.event("d" + i, "s", "p"), Instant.EPOCH));
        }
        return list;
    }

    @Test
    void theFirstRemovalIsLoggedAtOnceThenOneSummaryPerIntervalAndListenersHearEachOne() {
        List<Long> heard = new CopyOnWriteArrayList<>();
        reports.addListener((entry, reason) -> heard.add(entry.id()));
        reports.removed(entries(1), OutboxListener.Reason.DROPPED);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("test.db") && lines.get(0).contains("1 message(s) dropped"), lines.get(0));
        for (int i = 0; i < 1000; i++) {
            reports.removed(entries(3), OutboxListener.Reason.DROPPED); // a full outbox dropping fast
        }
        reports.removed(entries(2), OutboxListener.Reason.EXPIRED);
        assertEquals(1, lines.size(), "rate-limited");
        now.addAndGet(TimeUnit.SECONDS.toNanos(11));
        reports.removed(entries(1), OutboxListener.Reason.DROPPED);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("3001 message(s) dropped") && lines.get(1).contains("2 expired"), lines.get(1));
        assertEquals(1 + 3000 + 2 + 1, heard.size(), "every removal reaches the listeners");
    }

    @Test
    void whatTheLimitHeldBackIsLoggedAtFlushAndAFailingListenerDoesNotStopTheOthers() {
        List<Long> heard = new CopyOnWriteArrayList<>();
        reports.addListener((entry, reason) -> {
            throw new IllegalStateException("boom");
        });
        reports.addListener((entry, reason) -> heard.add(entry.id()));
        reports.removed(entries(1), OutboxListener.Reason.EXPIRED);
        reports.removed(entries(4), OutboxListener.Reason.EXPIRED);
        assertEquals(5, heard.size());
        reports.flush();
        assertTrue(lines.get(lines.size() - 1).contains("4 expired"), lines.toString());
        reports.flush();
        int before = lines.size();
        reports.flush();
        assertEquals(before, lines.size(), "nothing held back: nothing logged");
    }

    private final class Capturing implements System.Logger {
        @Override
        public String getName() {
            return "capturing";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(msgSupplier.get());
        }
    }
}
