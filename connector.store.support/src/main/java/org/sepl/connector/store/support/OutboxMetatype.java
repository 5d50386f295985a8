package org.sepl.connector.store.support;

import org.sepl.connector.api.outbox.OutboxLimits;

/**
 * The metatype texts of the limits every stock outbox's configuration has (their property names and defaults are
 * {@link OutboxLimits}'s). Metatype annotations cannot be inherited, so each outbox's {@code Config} declares the
 * four attributes, naming and describing them with these constants.
 */
public final class OutboxMetatype {

    public static final String MAX_MESSAGES_NAME = "Maximum messages";
    public static final String MAX_MESSAGES_DESCRIPTION = "Capacity in messages (at least 1).";
    public static final String MAX_BYTES_NAME = "Maximum bytes";
    public static final String MAX_BYTES_DESCRIPTION = "Capacity in bytes of device ids, service ids and payloads "
            + "(at least 1).";
    public static final String MAX_AGE_NAME = "Maximum age (s)";
    public static final String MAX_AGE_DESCRIPTION = "A message not delivered after this many seconds expires: "
            + "removed, counted and logged.";
    public static final String FULL_POLICY_NAME = "When full";
    public static final String FULL_POLICY_DESCRIPTION = "REFUSE_NEW: a new message is refused (the caller is told); "
            + "DROP_OLDEST: the oldest messages are dropped (counted and logged) to make room.";
    public static final String REFUSE_NEW_LABEL = "Refuse new messages";
    public static final String DROP_OLDEST_LABEL = "Drop the oldest messages";

    private OutboxMetatype() {
    }
}
