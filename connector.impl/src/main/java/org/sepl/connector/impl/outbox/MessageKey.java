package org.sepl.connector.impl.outbox;

import org.sepl.connector.api.outbox.Outbox;

/** A message of one outbox: ids of different outboxes are not comparable (a new one numbers from 1 again). */
record MessageKey(Outbox outbox, long id) {
}
