package org.sepl.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CommandTest {

    private static Map<String, Object> part(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("value", value);
        return m;
    }

    private static Map<String, Object> payload() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("worker_id", "w-1");
        p.put("task_id", "t-1");
        p.put("device_url", "lamp-1");
        p.put("service_url", "set_on");
        p.put("protocol_parts", new ArrayList<>(Arrays.asList(part("metadata", null), part("data", "{\"on\":true}"))));
        p.put("x_unknown", List.of(1, 2));
        p.put("time", "1500554317");
        return p;
    }

    @Test
    void exposesTheFieldsAGatewayNeeds() {
        Command c = new Command(payload());
        assertEquals("lamp-1", c.deviceId());
        assertEquals("set_on", c.serviceId());
        assertEquals("t-1", c.taskId());
        assertEquals("{\"on\":true}", c.data());
        assertNull(c.metadata());
    }

    @Test
    void answerKeepsEveryFieldAndReplacesOnlyProtocolParts() {
        Command c = new Command(payload());
        Map<String, Object> answer = c.answerPayload("{\"on\":false}", "m");
        Map<String, Object> expected = payload();
        expected.put("protocol_parts", List.of(part("metadata", "m"), part("data", "{\"on\":false}")));
        assertEquals(expected, answer);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(answer.keySet()));
    }

    @Test
    void nullProtocolPartsMeanNoInput() {
        Map<String, Object> p = payload();
        p.put("protocol_parts", null);
        Command c = new Command(p);
        assertNull(c.data());
        assertEquals(Map.of(), c.protocolParts());
    }

    @Test
    void missingDeviceOrServiceIsAClearError() {
        Map<String, Object> p = payload();
        p.remove("device_url");
        assertEquals("command field 'device_url' must be a string, got: null",
                assertThrows(IllegalArgumentException.class, () -> new Command(p)).getMessage());
    }
}
