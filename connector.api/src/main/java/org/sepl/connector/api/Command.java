package org.sepl.connector.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command (a "task") the platform sent for one of the gateway's devices.
 * <p>
 * It keeps every field of the command's payload as received, unknown ones included, because the answer
 * ({@link ConnectorClient#respondAsync}) must carry them back unchanged with only {@code protocol_parts}
 * replaced. Field values are plain Java JSON values ({@link String}, {@link Number}, {@link Boolean},
 * {@link List}, {@link Map}, {@code null}). Instances are immutable.
 */
public final class Command {

    /** Payload field holding the gateway-local device id. */
    public static final String DEVICE_URL = "device_url";
    /** Payload field holding the service id. */
    public static final String SERVICE_URL = "service_url";
    /** Payload field holding the command's input. */
    public static final String PROTOCOL_PARTS = "protocol_parts";
    /** Payload field identifying the task. */
    public static final String TASK_ID = "task_id";

    private final Map<String, Object> fields;

    /**
     * @param fields the command's payload, every field as received; copied
     * @throws NullPointerException     if {@code fields} is null
     * @throws IllegalArgumentException if {@code device_url} or {@code service_url} is missing or not a string
     */
    public Command(Map<String, ?> fields) {
        Objects.requireNonNull(fields, "fields must not be null");
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        requireString(DEVICE_URL);
        requireString(SERVICE_URL);
    }

    private void requireString(String field) {
        if (!(fields.get(field) instanceof String)) {
            throw new IllegalArgumentException("command field '" + field + "' must be a string, got: " + fields.get(field));
        }
    }

    /** @return the gateway-local id of the device the command is for ({@code device_url}) */
    public String deviceId() {
        return (String) fields.get(DEVICE_URL);
    }

    /** @return the service the command calls ({@code service_url}) */
    public String serviceId() {
        return (String) fields.get(SERVICE_URL);
    }

    /** @return the task id ({@code task_id}), or null if the command has none */
    public String taskId() {
        Object v = fields.get(TASK_ID);
        return v == null ? null : v.toString();
    }

    /** @return the command's input parts by name, in order; empty if {@code protocol_parts} is null or missing */
    public Map<String, Object> protocolParts() {
        Map<String, Object> parts = new LinkedHashMap<>();
        if (fields.get(PROTOCOL_PARTS) instanceof List<?> list) {
            for (Object part : list) {
                if (part instanceof Map<?, ?> m && m.get("name") instanceof String name) {
                    parts.put(name, m.get("value"));
                }
            }
        }
        return Collections.unmodifiableMap(parts);
    }

    /** @return the {@code data} part as text (usually a JSON document encoded as a string), or null */
    public String data() {
        return text(protocolParts().get("data"));
    }

    /** @return the {@code metadata} part as text, or null */
    public String metadata() {
        return text(protocolParts().get("metadata"));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** @return every field of the command's payload, as received, in order; unmodifiable */
    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * The payload of the answer to this command: every field as received, with {@code protocol_parts} replaced by
     * {@code [{"name":"metadata","value":metadata},{"name":"data","value":data}]} (docs/PROTOCOL.md §5).
     */
    public Map<String, Object> answerPayload(String data, String metadata) {
        Map<String, Object> answer = new LinkedHashMap<>(fields);
        List<Object> parts = new ArrayList<>(2);
        parts.add(part("metadata", metadata));
        parts.add(part("data", data));
        answer.put(PROTOCOL_PARTS, parts);
        return answer;
    }

    private static Map<String, Object> part(String name, Object value) {
        Map<String, Object> part = new LinkedHashMap<>(2);
        part.put("name", name);
        part.put("value", value);
        return part;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && c.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "Command[task=" + taskId() + ", device=" + deviceId() + ", service=" + serviceId() + "]";
    }
}
