package org.sepl.connector.impl.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sepl.connector.impl.wire.WireCodec.CommandFrame;
import org.sepl.connector.impl.wire.WireCodec.MalformedFrameException;
import org.sepl.connector.impl.wire.WireCodec.ResponseFrame;

/** Frames a broken or hostile platform might send: every one decodes or is refused with a reason, never an NPE. */
class WireCodecHostileInputTest {

    private final WireCodec codec = new WireCodec();
    private static final String COMMAND_PAYLOAD = "{\"task_id\":\"t\",\"device_url\":\"lamp\",\"service_url\":\"on\",\"protocol_parts\":null}";

    @Test
    void aCommandWithAStringOrNullStatusIsStillACommand() throws Exception {
        for (String status : List.of("\"0\"", "null", "{}", "[1]", "1.5", "99999999999999999999")) {
            var frame = codec.decode("{\"status\":" + status + ",\"handler\":\"command\",\"token\":\"\",\"payload\":" + COMMAND_PAYLOAD + "}");
            assertEquals("lamp", assertInstanceOf(CommandFrame.class, frame).command().deviceId(), status);
        }
    }

    @Test
    void fieldsOfTheWrongTypeAreRefusedWithAReason() {
        List<String> frames = List.of(
                "{\"handler\":\"command\",\"payload\":\"a string, not an object\"}",
                "{\"handler\":\"command\",\"payload\":[1,2]}",
                "{\"handler\":\"command\",\"payload\":{\"device_url\":7,\"service_url\":\"s\"}}",
                "{\"handler\":\"command\",\"payload\":{\"device_url\":null,\"service_url\":\"s\"}}",
                "{\"handler\":{\"x\":1},\"token\":\"t\",\"status\":200}",
                "{\"handler\":\"response\",\"token\":[\"t\"],\"status\":200}",
                "{\"handler\":\"response\",\"token\":\"t\",\"status\":\"200\"}",
                "{\"handler\":\"response\",\"token\":\"t\",\"status\":null}",
                "{\"handler\":\"response\",\"token\":\"t\"",
                "{\"status\":200}{\"status\":200}",
                "null", "42", "\"text\"", "", "[", "{\"a\":" + "[".repeat(10_000));
        for (String frame : frames) {
            MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> codec.decode(frame), frame);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), frame);
        }
    }

    @Test
    void aResponseWithOddButUsableFieldsIsRead() throws Exception {
        var frame = codec.decode("{\"status\":500,\"handler\":\"response\",\"token\":7,\"content_type\":null,"
                + "\"payload\":{\"deep\":[1,{\"x\":null}]},\"extra\":{\"ignored\":true}}");
        ResponseFrame r = assertInstanceOf(ResponseFrame.class, frame);
        assertEquals("7", r.token());
        assertEquals(500, r.status());
        assertEquals("", r.contentType());
    }
}
