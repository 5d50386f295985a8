package org.sepl.connector.store.memory;

import org.sepl.connector.testkit.OutboxContract;

import java.time.Clock;

import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxLimits;

/** The shared Outbox contract on the in-memory outbox. */
class InMemoryOutboxContractTest extends OutboxContract {

    @Override
    protected Outbox outbox(OutboxLimits limits, Clock clock) {
        return new InMemoryOutbox(limits, clock);
    }
}
