package org.sepl.connector.api.outbox;

import java.time.Duration;

/**
 * A snapshot of an {@link Outbox}, for status commands and metrics. Counters count since the outbox was opened
 * (a durable outbox's depth survives a restart, its counters do not).
 *
 * @param depth     messages stored and not yet settled
 * @param bytes     their size ({@link OutboxMessage#size()})
 * @param oldestAge age of the oldest pending message, {@link Duration#ZERO} when empty
 * @param stored    messages stored
 * @param delivered messages settled as {@link Outbox.Settlement#DELIVERED}
 * @param rejected  messages settled as {@link Outbox.Settlement#REJECTED} (a final answer, not retried)
 * @param dropped   messages dropped to make room ({@link FullPolicy#DROP_OLDEST})
 * @param expired   messages removed for being older than {@link OutboxLimits#maxAge()}
 * @param refused   appends refused ({@link RefusalReason})
 */
public record OutboxStatus(long depth, long bytes, Duration oldestAge, long stored, long delivered, long rejected,
        long dropped, long expired, long refused) {
}
