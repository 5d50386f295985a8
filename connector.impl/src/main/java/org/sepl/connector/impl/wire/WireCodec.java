package org.sepl.connector.impl.wire;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.outbox.OutboxMessage;

import org.sepl.connector.impl.logging.FrameText;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * Turns requests into frames and frames into {@link Incoming} messages (docs/PROTOCOL.md §2–5). Stateless and
 * thread-safe. Whatever a frame holds, {@link #decode} either returns a well-typed message or throws
 * {@link MalformedFrameException} saying why: fields of unexpected types never escape as runtime exceptions.
 */
public final class WireCodec {

    /** A frame from the platform: a response to a request, or a command. */
    public sealed interface Incoming permits ResponseFrame, CommandFrame {
    }

    public record ResponseFrame(String token, int status, String contentType, Object payload) implements Incoming {
    }

    public record CommandFrame(Command command) implements Incoming {
    }

    /** Thrown for a frame that is not a message this client understands; the message says why. */
    public static final class MalformedFrameException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedFrameException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Gson and its adapter for any JSON value: the general decoder and the rarer frames. */
    private record GeneralJson(Gson gson, TypeAdapter<Object> anything) {
        static GeneralJson create() {
            // lazily parsed numbers keep their text, so that a command's fields go back exactly as they came
            Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping()
                    .setObjectToNumberStrategy(ToNumberPolicy.LAZILY_PARSED_NUMBER).create();
            return new GeneralJson(gson, gson.getAdapter(Object.class));
        }
    }

    /** Built on first use or by {@link #prepare()}: in a fresh JVM Gson takes about 50 ms to set up. */
    private volatile GeneralJson general;

    private GeneralJson general() {
        GeneralJson g = general;
        if (g == null) {
            synchronized (this) {
                g = general;
                if (g == null) {
                    general = g = GeneralJson.create();
                }
            }
        }
        return g;
    }

    /** Sets up the general JSON reader and writer now (on a thread that has time), not at the first frame. */
    public void prepare() {
        general();
    }

    public String credentials(String user, String password, String gatewayId) {
        return write(w -> {
            w.beginObject();
            w.name("user").value(user);
            w.name("pw").value(password);
            w.name("gid").value(gatewayId);
            w.name("token").value(Protocol.CREDENTIALS_TOKEN);
            w.endObject();
        });
    }

    public String request(String handler, String token, Object payload) {
        return write(w -> {
            w.beginObject();
            w.name("handler").value(handler);
            w.name("token").value(token);
            w.name("payload");
            general().gson().toJson(payload, payload == null ? Object.class : payload.getClass(), w);
            w.endObject();
        });
    }

    /**
     * The hot path of every event: written by hand into one {@link StringBuilder}, byte for byte what the Gson writer
     * of {@link #request} would write (same escaping; {@code WireCodecEncodingTest} compares them).
     */
    public String event(String token, String deviceId, String serviceId, String data, String metadata) {
        StringBuilder b = new StringBuilder(EVENT_FRAME_OVERHEAD + token.length() + deviceId.length() + serviceId.length()
                + (data == null ? 4 : data.length() + 8) + (metadata == null ? 4 : metadata.length() + 8));
        b.append("{\"handler\":\"" + Protocol.EVENT + "\",\"token\":");
        JsonText.appendString(b, token);
        b.append(",\"payload\":{\"device_uri\":");
        JsonText.appendString(b, deviceId);
        b.append(",\"service_uri\":");
        JsonText.appendString(b, serviceId);
        b.append(",\"value\":[{\"name\":\"metadata\",\"value\":");
        JsonText.appendString(b, metadata);
        b.append("},{\"name\":\"data\",\"value\":");
        JsonText.appendString(b, data);
        return b.append("}]}}").toString();
    }

    /** The constant part of an event frame, for sizing its buffer. */
    private static final int EVENT_FRAME_OVERHEAD = 140;

    /**
     * Every device of a synchronisation goes through here (10,000 in a row, in a JVM that may have just started):
     * written by hand like {@link #event}, byte for byte what the Gson writer wrote ({@code WireCodecFastPathTest}).
     */
    /**
     * An event as the outbox stores it: the frame with the token placeholder ({@code FrameTemplate}).
     *
     * @throws NullPointerException naming a missing id
     */
    public OutboxMessage eventMessage(String deviceId, String serviceId, String data, String metadata) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        Objects.requireNonNull(serviceId, "serviceId must not be null");
        return OutboxMessage.event(deviceId, serviceId, event(FrameTemplate.PLACEHOLDER, deviceId, serviceId, data,
                metadata));
    }

    /**
     * A command's answer as the outbox stores it (docs/PROTOCOL.md §5).
     *
     * @throws NullPointerException if {@code command} is null
     */
    public OutboxMessage answerMessage(Command command, String data, String metadata) {
        Objects.requireNonNull(command, "command must not be null");
        return OutboxMessage.response(command.deviceId(), command.serviceId(), request(Protocol.RESPONSE,
                FrameTemplate.PLACEHOLDER, command.answerPayload(data, metadata)));
    }

    public String put(String token, Device device) {
        List<String> tags = device.tagsAsStrings();
        StringBuilder b = new StringBuilder(PUT_FRAME_OVERHEAD + token.length() + device.id().length()
                + device.name().length() + device.type().length() + 24 * tags.size());
        b.append("{\"handler\":\"" + Protocol.PUT + "\",\"token\":");
        JsonText.appendString(b, token);
        b.append(",\"payload\":{\"uri\":");
        JsonText.appendString(b, device.id());
        b.append(",\"name\":");
        JsonText.appendString(b, device.name());
        b.append(",\"iot_type\":");
        JsonText.appendString(b, device.type());
        b.append(",\"tags\":[");
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            JsonText.appendString(b, tags.get(i));
        }
        return b.append("]}}").toString();
    }

    /** The constant part of a put frame, for sizing its buffer. */
    private static final int PUT_FRAME_OVERHEAD = 80;

    /** @return {@code {"error": message}} as JSON text */
    public String errorDocument(String message) {
        return general().gson().toJson(Map.of("error", message));
    }

    /**
     * Reads a frame in one streaming pass (no intermediate tree: decoding is most of the client's work per event).
     *
     * @throws MalformedFrameException if the frame is not JSON, not an object, or lacks what its kind needs
     */
    public Incoming decode(String frame) throws MalformedFrameException {
        ResponseFrame flat = FlatResponse.parse(frame);
        if (flat != null) {
            return flat;
        }
        return decodeStreaming(frame);
    }

    /** The general decoder: every frame {@link FlatResponse} does not take. */
    Incoming decodeStreaming(String frame) throws MalformedFrameException {
        String handler = "";
        String token = "";
        String contentType = "";
        Integer status = null;
        Object payload = null;
        try (JsonReader r = new JsonReader(new StringReader(frame))) {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                throw new MalformedFrameException("not a JSON object", null);
            }
            r.beginObject();
            while (r.hasNext()) {
                switch (r.nextName()) {
                    case "handler" -> handler = text(r);
                    case "token" -> token = text(r);
                    case "content_type" -> contentType = text(r);
                    case "status" -> status = number(r); // a command's status ("0", null) is not used
                    case "payload" -> payload = r.peek() == JsonToken.STRING ? r.nextString() : general().anything().read(r);
                    default -> r.skipValue();
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedFrameException("more than one JSON document", null);
            }
        } catch (IOException | IllegalStateException | NumberFormatException | JsonParseException e) {
            throw new MalformedFrameException("not JSON as expected: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // whatever else a hostile frame provokes in the parser: reported like any malformed frame
            throw new MalformedFrameException("unreadable frame: " + e, e);
        }
        if (Protocol.COMMAND.equals(handler)) {
            if (!(payload instanceof Map<?, ?> map)) {
                throw new MalformedFrameException("command without an object payload", null);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            try {
                return new CommandFrame(new Command(fields));
            } catch (RuntimeException e) {
                throw new MalformedFrameException(e.getMessage(), e);
            }
        }
        if (status == null) {
            throw new MalformedFrameException("no numeric status in a frame of handler " + FrameText.quote(handler), null);
        }
        return new ResponseFrame(token, status, contentType, payload);
    }

    /** Strings as they are, other scalars as their JSON text, null as "". */
    private static String text(JsonReader r) throws IOException {
        JsonToken t = r.peek();
        if (t == JsonToken.NULL) {
            r.nextNull();
            return "";
        }
        if (t == JsonToken.STRING || t == JsonToken.NUMBER) {
            return r.nextString();
        }
        if (t == JsonToken.BOOLEAN) {
            return Boolean.toString(r.nextBoolean());
        }
        throw new IllegalStateException("expected a string, found " + t);
    }

    /** An integer, or null for anything else (a string, null, an object, a fraction), which is skipped. */
    private static Integer number(JsonReader r) throws IOException {
        if (r.peek() == JsonToken.NUMBER) {
            String text = r.nextString();
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        r.skipValue();
        return null;
    }

    private interface Body {
        void write(JsonWriter w) throws IOException;
    }

    private String write(Body body) {
        StringWriter out = new StringWriter(128);
        try (JsonWriter w = new JsonWriter(out)) {
            w.setSerializeNulls(true);
            w.setHtmlSafe(false);
            body.write(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
