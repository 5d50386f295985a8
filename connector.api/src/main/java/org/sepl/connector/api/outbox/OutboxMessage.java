package org.sepl.connector.api.outbox;

import java.util.Objects;

/**
 * A message for the platform, as the client hands it to an {@link Outbox}: an event or a command answer, with the
 * client's own encoding of what it will send ({@code payload}, opaque to the outbox).
 *
 * @param kind      an event or a command answer
 * @param deviceId  the gateway-local device the message is about: the outbox keeps the accepted order per device
 *                  (stock outboxes keep it across devices too)
 * @param serviceId the service of the event or command, for logs and metrics
 * @param payload   what the client will send, in its own encoding (for example the protocol message as JSON)
 */
public record OutboxMessage(Kind kind, String deviceId, String serviceId, String payload) {

    /** What a message is. */
    public enum Kind {
        /** A device event ({@code ConnectorClient.eventAsync}). */
        EVENT,
        /** The answer to a platform command ({@code ConnectorClient.respondAsync}). */
        RESPONSE
    }

    /** @throws NullPointerException naming the argument that is null */
    public OutboxMessage {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        Objects.requireNonNull(serviceId, "serviceId must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
    }

    /** An event of a device's service. */
    public static OutboxMessage event(String deviceId, String serviceId, String payload) {
        return new OutboxMessage(Kind.EVENT, deviceId, serviceId, payload);
    }

    /** The answer to a command for a device's service. */
    public static OutboxMessage response(String deviceId, String serviceId, String payload) {
        return new OutboxMessage(Kind.RESPONSE, deviceId, serviceId, payload);
    }

    /**
     * The size this message counts for against {@link OutboxLimits#maxBytes()}: the UTF-8 length of its device id,
     * service id and payload.
     */
    public long size() {
        return utf8Length(deviceId) + utf8Length(serviceId) + utf8Length(payload);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3; // BMP, or a lone surrogate (encoded as '?' by UTF-8 encoders; 3 is an upper bound)
            }
        }
        return n;
    }
}
