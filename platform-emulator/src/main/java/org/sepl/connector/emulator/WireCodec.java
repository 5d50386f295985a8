package org.sepl.connector.emulator;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * The frames on the wire (docs/PROTOCOL.md §3, §5): request envelopes in, response envelopes and command frames
 * out, and the checks of payload fields. Events are the hot path of every benchmark: their payload is read by a
 * streaming parser straight into an {@link EventRequest}, and replies are written by hand.
 */
final class WireCodec {

    private static final JsonPrimitive OK = new JsonPrimitive("ok");
    private static final java.lang.reflect.Type MAP = new TypeToken<Map<String, Object>>() { }.getType();

    private final Gson gson = new GsonBuilder().serializeNulls().setObjectToNumberStrategy(ToNumberPolicy.LAZILY_PARSED_NUMBER)
            .create();
    /** The platform's clock: the {@code time} of its commands. */
    private final java.time.Clock clock;

    WireCodec() {
        this(java.time.Clock.systemUTC());
    }

    WireCodec(java.time.Clock clock) {
        this.clock = clock;
    }

    /** A request envelope; an event's payload is read straight into {@code event} (events are the hot path). */
    record Envelope(String handler, String token, JsonElement payload, EventRequest event) {
    }

    /** An {@code event} payload: the device, the service and the values of its protocol parts. */
    record EventRequest(String device, String service, Object data, Object metadata) {
    }

    Gson gson() {
        return gson;
    }

    // ---- requests in ----------------------------------------------------------------------------------------

    /**
     * @return the envelope, or null if the frame is JSON but not an object
     * @throws IOException or an unchecked {@link JsonParseException}, {@link IllegalStateException},
     *             {@link NumberFormatException} if the frame is not one JSON document
     */
    Envelope parse(String text) throws IOException {
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                r.skipValue();
                end(r);
                return null;
            }
            String handler = "";
            String token = "";
            JsonElement payload = JsonNull.INSTANCE;
            EventRequest event = null;
            r.beginObject();
            while (r.hasNext()) {
                switch (r.nextName()) {
                    case "handler" -> handler = stringOr(r, "");
                    case "token" -> token = stringOr(r, "");
                    case "payload" -> {
                        if ("event".equals(handler) && r.peek() == JsonToken.BEGIN_OBJECT) {
                            event = eventPayload(r);
                        } else {
                            payload = JsonParser.parseReader(r);
                        }
                    }
                    default -> r.skipValue();
                }
            }
            r.endObject();
            end(r);
            return new Envelope(handler, token, payload, event);
        }
    }

    /** The credentials frame (§2), or null if it is not a JSON object. */
    static JsonObject credentials(String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    private static void end(JsonReader r) throws IOException {
        if (r.peek() != JsonToken.END_DOCUMENT) {
            throw new JsonParseException("more than one JSON document in the frame");
        }
    }

    private static String stringOr(JsonReader r, String otherwise) throws IOException {
        if (r.peek() == JsonToken.STRING) {
            return r.nextString();
        }
        r.skipValue();
        return otherwise;
    }

    private EventRequest eventPayload(JsonReader r) throws IOException {
        String device = null;
        String service = null;
        Object data = null;
        Object metadata = null;
        r.beginObject();
        while (r.hasNext()) {
            switch (r.nextName()) {
                case "device_uri" -> device = stringOr(r, null);
                case "service_uri" -> service = stringOr(r, null);
                case "value" -> {
                    if (r.peek() != JsonToken.BEGIN_ARRAY) {
                        r.skipValue();
                        continue;
                    }
                    r.beginArray();
                    while (r.hasNext()) {
                        if (r.peek() != JsonToken.BEGIN_OBJECT) {
                            r.skipValue();
                            continue;
                        }
                        String name = null;
                        Object value = null;
                        r.beginObject();
                        while (r.hasNext()) {
                            switch (r.nextName()) {
                                case "name" -> name = stringOr(r, null);
                                case "value" -> value = r.peek() == JsonToken.STRING ? r.nextString() : plain(JsonParser.parseReader(r));
                                default -> r.skipValue();
                            }
                        }
                        r.endObject();
                        if ("data".equals(name)) {
                            data = value;
                        } else if ("metadata".equals(name)) {
                            metadata = value;
                        }
                    }
                    r.endArray();
                }
                default -> r.skipValue();
            }
        }
        r.endObject();
        return new EventRequest(device, service, data, metadata);
    }

    /** The same, from a payload that came before its handler in the frame (so it was parsed as a tree). */
    EventRequest eventPayload(JsonElement payload) throws BadRequest {
        JsonObject p = object(payload, "event payload");
        String device = required(p, "device_uri");
        String service = required(p, "service_uri");
        Object data = null;
        Object metadata = null;
        JsonElement value = p.get("value");
        if (value != null && value.isJsonArray()) {
            for (JsonElement part : value.getAsJsonArray()) {
                if (part.isJsonObject()) {
                    String name = string(part.getAsJsonObject().get("name"));
                    Object v = plain(part.getAsJsonObject().get("value"));
                    if ("data".equals(name)) {
                        data = v;
                    } else if ("metadata".equals(name)) {
                        metadata = v;
                    }
                }
            }
        }
        return new EventRequest(device, service, data, metadata);
    }

    /** A {@code response} payload as plain Java values (maps, lists, strings, numbers). */
    Map<String, Object> plainMap(JsonObject payload) {
        return Collections.unmodifiableMap(gson.fromJson(payload, MAP));
    }

    /** Strings (the usual protocol part value) without a trip through a type adapter: events are the hot path. */
    Object plain(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return value.getAsString();
        }
        return gson.fromJson(value, Object.class);
    }

    // ---- frames out -----------------------------------------------------------------------------------------

    String ok(String token) {
        return reply(200, token, OK);
    }

    /** A response envelope; built by hand because it is the hot path of every benchmark. */
    String reply(int status, String token, JsonElement payload) {
        StringBuilder b = new StringBuilder(96);
        b.append("{\"status\":").append(status).append(",\"handler\":\"response\",\"token\":");
        b.append(gson.toJson(token));
        b.append(",\"content_type\":\"").append(contentType(payload)).append("\",\"payload\":");
        b.append(payload == OK ? "\"ok\"" : gson.toJson(payload));
        return b.append('}').toString();
    }

    private static String contentType(JsonElement payload) {
        if (payload.isJsonObject()) {
            return "map";
        }
        if (payload.isJsonArray()) {
            return "slice";
        }
        if (payload.isJsonPrimitive()) {
            JsonPrimitive p = payload.getAsJsonPrimitive();
            return p.isString() ? "string" : p.isNumber() ? "float64" : "bool";
        }
        return "";
    }

    /** A {@code command} frame (§5) for the device's service, with the values as its two protocol parts. */
    String commandFrame(String taskId, String deviceUri, String serviceUri, Object data, Object metadata) {
        JsonObject payload = new JsonObject();
        payload.addProperty("worker_id", UUID.randomUUID().toString());
        payload.addProperty("task_id", taskId);
        payload.addProperty("device_url", deviceUri);
        payload.addProperty("service_url", serviceUri);
        JsonArray parts = new JsonArray();
        parts.add(part("metadata", metadata));
        parts.add(part("data", data));
        payload.add("protocol_parts", parts);
        payload.addProperty("device_instance_id", "iot#" + UUID.nameUUIDFromBytes(deviceUri.getBytes(StandardCharsets.UTF_8)));
        payload.addProperty("service_id", "iot#" + UUID.nameUUIDFromBytes(serviceUri.getBytes(StandardCharsets.UTF_8)));
        payload.addProperty("output_name", "Task_emulator");
        payload.addProperty("time", Long.toString(clock.instant().getEpochSecond()));
        JsonObject frame = new JsonObject();
        frame.addProperty("status", 0);
        frame.addProperty("handler", "command");
        frame.addProperty("token", "");
        frame.addProperty("content_type", "map");
        frame.add("payload", payload);
        return gson.toJson(frame);
    }

    private JsonObject part(String name, Object value) {
        JsonObject part = new JsonObject();
        part.addProperty("name", name);
        part.add("value", value == null ? JsonNull.INSTANCE : gson.toJsonTree(value));
        return part;
    }

    // ---- payload checks -------------------------------------------------------------------------------------

    static JsonObject object(JsonElement payload, String what) throws BadRequest {
        if (!payload.isJsonObject()) {
            throw new BadRequest(what + " must be a JSON object");
        }
        return payload.getAsJsonObject();
    }

    static String required(JsonObject o, String field) throws BadRequest {
        String value = string(o.get(field));
        if (value == null || value.isEmpty()) {
            throw new BadRequest("'" + field + "' must be a non-empty string");
        }
        return value;
    }

    static String stringPayload(JsonElement payload, String what) throws BadRequest {
        String value = string(payload);
        if (value == null || value.isEmpty()) {
            throw new BadRequest(what + " must be a non-empty string");
        }
        return value;
    }

    /** For a log line: a gateway's string quoted, at most 64 characters, control characters escaped. */
    static String quoted(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(text.length() > 64 ? "'..." : "'").toString();
    }

    /** The string, or null if {@code e} is not a JSON string. */
    static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
