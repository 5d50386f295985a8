package org.sepl.connector.api.outbox;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The bounds of an {@link Outbox}: at most {@code maxMessages} messages and {@code maxBytes} bytes
 * ({@link OutboxMessage#size()}) pending, each for at most {@code maxAge}; {@code fullPolicy} says what a new
 * message does at a bound. The {@code *_DEFAULT} constants are the stock outboxes' defaults (also in their
 * metatype), and the property names are those of their configurations.
 *
 * @param maxMessages at least 1
 * @param maxBytes    at least 1
 * @param maxAge      positive; a message older than this is removed, counted and reported as expired
 * @param fullPolicy  what a new message does when the outbox is full
 */
public record OutboxLimits(int maxMessages, long maxBytes, Duration maxAge, FullPolicy fullPolicy) {

    /** Configuration property of {@link #maxMessages()}. */
    public static final String MAX_MESSAGES = "max.messages";
    /** Configuration property of {@link #maxBytes()}. */
    public static final String MAX_BYTES = "max.bytes";
    /** Configuration property of {@link #maxAge()}, in seconds. */
    public static final String MAX_AGE_SECONDS = "max.age.seconds";
    /** Configuration property of {@link #fullPolicy()}: {@code DROP_OLDEST} or {@code REFUSE_NEW}. */
    public static final String FULL_POLICY = "full.policy";

    /** 100,000 messages (an hour of a busy gateway at 30 events/s). */
    public static final int MAX_MESSAGES_DEFAULT = 100_000;
    /** 64 MiB. */
    public static final long MAX_BYTES_DEFAULT = 64L * 1024 * 1024;
    /** One day: an outage of a night and a morning is bridged. */
    public static final long MAX_AGE_SECONDS_DEFAULT = 24L * 60 * 60;
    /** Keep what is stored, tell the caller the new message was refused. */
    public static final String FULL_POLICY_DEFAULT = "REFUSE_NEW";

    /** The defaults above. */
    public static final OutboxLimits DEFAULT = of(MAX_MESSAGES_DEFAULT, MAX_BYTES_DEFAULT, MAX_AGE_SECONDS_DEFAULT,
            FULL_POLICY_DEFAULT);

    /** @throws IllegalArgumentException naming the property, the bad value and what is allowed */
    public OutboxLimits {
        if (maxMessages < 1) {
            throw new IllegalArgumentException(MAX_MESSAGES + " must be at least 1, got " + maxMessages);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException(MAX_BYTES + " must be at least 1, got " + maxBytes);
        }
        Objects.requireNonNull(maxAge, "maxAge must not be null");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException(MAX_AGE_SECONDS + " must be positive, got " + maxAge.toSeconds());
        }
        Objects.requireNonNull(fullPolicy, "fullPolicy must not be null");
    }

    /**
     * Limits from configuration values (property names above).
     *
     * @throws IllegalArgumentException naming the property, the bad value and what is allowed
     */
    public static OutboxLimits of(int maxMessages, long maxBytes, long maxAgeSeconds, String fullPolicy) {
        if (maxAgeSeconds < 1) {
            throw new IllegalArgumentException(MAX_AGE_SECONDS + " must be at least 1, got " + maxAgeSeconds);
        }
        return new OutboxLimits(maxMessages, maxBytes, Duration.ofSeconds(maxAgeSeconds), policy(fullPolicy));
    }

    private static FullPolicy policy(String value) {
        Objects.requireNonNull(value, FULL_POLICY + " must not be null");
        try {
            return FullPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FULL_POLICY + " must be DROP_OLDEST or REFUSE_NEW, got '" + value + "'");
        }
    }

    /** These limits with another message capacity. */
    public OutboxLimits withMaxMessages(int value) {
        return new OutboxLimits(value, maxBytes, maxAge, fullPolicy);
    }

    /** These limits with another byte capacity. */
    public OutboxLimits withMaxBytes(long value) {
        return new OutboxLimits(maxMessages, value, maxAge, fullPolicy);
    }

    /** These limits with another maximum age. */
    public OutboxLimits withMaxAge(Duration value) {
        return new OutboxLimits(maxMessages, maxBytes, value, fullPolicy);
    }

    /** These limits with another policy. */
    public OutboxLimits withFullPolicy(FullPolicy value) {
        return new OutboxLimits(maxMessages, maxBytes, maxAge, value);
    }
}
