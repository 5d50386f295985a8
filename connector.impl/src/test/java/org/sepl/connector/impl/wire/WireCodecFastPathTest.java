package org.sepl.connector.impl.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Device;
import org.sepl.connector.impl.wire.WireCodec.Incoming;
import org.sepl.connector.impl.wire.WireCodec.MalformedFrameException;
import org.sepl.connector.impl.wire.WireCodec.ResponseFrame;

import com.google.gson.stream.JsonWriter;

/** The hand-written hot paths (event encoding, flat answers) agree with the general Gson-based ones. */
class WireCodecFastPathTest {

    private final WireCodec codec = new WireCodec();

    /** What a frame's body writes into the Gson writer. */
    private interface GsonBody {
        void write(JsonWriter w) throws IOException;
    }

    /** A frame as the Gson writer wrote it before the hand-written encoders: nulls kept, no HTML escaping. */
    private static String gsonWritten(GsonBody body) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.setSerializeNulls(true);
            w.setHtmlSafe(false);
            body.write(w);
        }
        return out.toString();
    }

    private static String gsonEvent(String token, String deviceId, String serviceId, String data, String metadata)
            throws IOException {
        return gsonWritten(w -> {
            w.beginObject();
            w.name("handler").value("event");
            w.name("token").value(token);
            w.name("payload").beginObject();
            w.name("device_uri").value(deviceId);
            w.name("service_uri").value(serviceId);
            w.name("value").beginArray();
            w.beginObject().name("name").value("metadata").name("value").value(metadata).endObject();
            w.beginObject().name("name").value("data").name("value").value(data).endObject();
            w.endArray();
            w.endObject();
            w.endObject();
        });
    }

    private static String gsonPut(String token, Device device) throws IOException {
        return gsonWritten(w -> {
            w.beginObject();
            w.name("handler").value("put");
            w.name("token").value(token);
            w.name("payload").beginObject();
            w.name("uri").value(device.id());
            w.name("name").value(device.name());
            w.name("iot_type").value(device.type());
            w.name("tags").beginArray();
            for (String tag : device.tagsAsStrings()) {
                w.value(tag);
            }
            w.endArray();
            w.endObject();
            w.endObject();
        });
    }

    @Test
    void putFramesAreWhatTheGsonWriterWrites() throws IOException {
        for (String v : awkwardStrings()) {
            String printable = v.isBlank() ? "x" + v : v;
            Device noTags = new Device(printable, "iot#" + printable, printable);
            assertEquals(gsonPut("t-1", noTags), codec.put("t-1", noTags), v);
            Device tagged = new Device("d", "iot#t", "n");
            String tagPart = v.replace(":", "").replace(";", "");
            if (!tagPart.isEmpty() && !tagPart.equals("device_name") && !tagPart.equals("device_type")) {
                tagged.addTag(tagPart, tagPart);
                tagged.addTag("room", "r1");
            }
            assertEquals(gsonPut(v, tagged), codec.put(v, tagged), v);
        }
    }

    /** Every ASCII character, HTML, line separators, non-ASCII, surrogates, escapes and 500 random strings. */
    private static List<String> awkwardStrings() {
        StringBuilder everyAscii = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            everyAscii.append(c);
        }
        List<String> values = new ArrayList<>(List.of("", "{\"kwh\":1.5}", everyAscii.toString(), "<a href='x'>&=</a>",
                "line\u2028sep\u2029para", "ünïcödé €", "\uD83D\uDE00 emoji", "lone \uD800 surrogate", "\\\"\\"));
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) random.nextInt(0x80);
            }
            values.add(new String(chars));
        }
        return values;
    }

    @Test
    void eventFramesAreWhatTheGsonWriterWrites() throws IOException {
        for (String v : awkwardStrings()) {
            assertEquals(gsonEvent("t-1", v, "s", v, null), codec.event("t-1", v, "s", v, null), v);
            assertEquals(gsonEvent(v, "d", v, null, v), codec.event(v, "d", v, null, v), v);
        }
    }

    private Object decodedBy(boolean fast, String frame) {
        try {
            Incoming decoded = fast ? codec.decode(frame) : codec.decodeStreaming(frame);
            return decoded instanceof ResponseFrame r ? r : decoded.getClass();
        } catch (MalformedFrameException e) {
            return MalformedFrameException.class;
        }
    }

    @Test
    void theFastPathTakesTheCommonAnswer() {
        String frame = "{\"status\":200,\"handler\":\"response\",\"token\":\"ab-12\",\"content_type\":\"string\",\"payload\":\"ok\"}";
        ResponseFrame r = assertInstanceOf(ResponseFrame.class, FlatResponse.parse(frame));
        assertEquals(new ResponseFrame("ab-12", 200, "string", "ok"), r);
        assertNotNull(FlatResponse.parse(" {\n\"handler\" : \"response\" ,\"status\":404, \"payload\":\"no\"} "));
        assertNull(FlatResponse.parse("{\"status\":200,\"handler\":\"response\",\"payload\":{\"a\":1}}"), "nested: general");
        assertNull(FlatResponse.parse("{\"status\":200,\"handler\":\"response\",\"payload\":\"a\\\"b\"}"), "escape: general");
    }

    @Test
    void fastAndGeneralDecodersAgreeOnEveryFrame() {
        List<String> seeds = List.of(
                "{\"status\":200,\"handler\":\"response\",\"token\":\"ab-12\",\"content_type\":\"string\",\"payload\":\"ok\"}",
                "{\"status\":500,\"handler\":\"response\",\"token\":\"x\",\"content_type\":\"string\",\"payload\":\"gateway g no longer exists\"}",
                "{\"handler\":\"response\",\"token\":\"t\",\"status\":\"200\"}",
                "{\"handler\":\"response\",\"token\":null,\"status\":200,\"payload\":null}",
                "{\"handler\":\"response\",\"status\":0200}",
                "{\"handler\":\"response\",\"status\":2.5e2}",
                "{\"handler\":\"response\",\"status\":1234567890123}",
                "{\"handler\":\"response\",\"status\":200,\"status\":404,\"token\":\"a\",\"token\":\"b\"}",
                "{\"status\":200,\"handler\":\"command\",\"token\":\"\",\"payload\":{\"task_id\":\"t\",\"device_url\":\"d\",\"service_url\":\"s\"}}",
                "{\"status\":200}", "{}", "[]", "", "{\"status\":200,\"handler\":\"response\"} {}");
        Random random = new Random(7);
        String alphabet = "{}[]\":,0123456789 \\\nabcdehlnoprstuy.-e";
        for (String seed : seeds) {
            assertEquals(decodedBy(false, seed), decodedBy(true, seed), seed);
            for (int i = 0; i < 2000; i++) {
                StringBuilder b = new StringBuilder(seed);
                for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                    int at = b.length() == 0 ? 0 : random.nextInt(b.length());
                    switch (random.nextInt(3)) {
                        case 0 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 1 -> {
                            if (b.length() > 0) {
                                b.deleteCharAt(at);
                            }
                        }
                        default -> {
                            if (b.length() > 0) {
                                b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                            }
                        }
                    }
                }
                String frame = b.toString();
                assertEquals(decodedBy(false, frame), decodedBy(true, frame), frame);
            }
        }
    }
}
