package org.sepl.connector.store.sqlite;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxLimits;
import org.sepl.connector.testkit.OutboxContract;

/** The shared Outbox contract, on a fresh outbox file per outbox. */
class SqliteOutboxContractTest extends OutboxContract {

    @TempDir
    Path dir;
    private final List<SqliteOutbox> opened = new ArrayList<>();

    @Override
    protected Outbox outbox(OutboxLimits limits, Clock clock) {
        SqliteOutbox o = SqliteOutbox.open(dir.resolve("outbox-" + opened.size() + ".db"), limits, clock);
        opened.add(o);
        return o;
    }

    @AfterEach
    void close() {
        opened.forEach(SqliteOutbox::close);
    }
}
