package org.sepl.connector.demo;

import org.sepl.connector.testkit.RecordingClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Command;

class DemoDevicesTest {

    private static Command command(String service) {
        return new Command(Map.of(Command.DEVICE_URL, DemoDevices.LAMP_ID, Command.SERVICE_URL, service,
                Command.TASK_ID, "t1", Command.PROTOCOL_PARTS, List.of()));
    }

    @Test
    void lampAddsItsDeviceAndObeysCommands() {
        RecordingClient client = new RecordingClient();
        DemoLamp lamp = new DemoLamp(client);

        assertEquals(DemoDevices.LAMP_ID, client.added.get(0).id());
        assertEquals(DemoDevices.LAMP_TYPE, client.added.get(0).type());
        assertEquals("{\"on\":false}", lamp.handle(command("state")).data());
        assertEquals("{\"on\":true}", lamp.handle(command("on")).data());
        assertTrue(lamp.isOn());
        assertEquals("{\"on\":true}", lamp.handle(command("state")).data());
        assertEquals("{\"on\":false}", lamp.handle(command("off")).data());
        assertFalse(lamp.isOn());
        assertThrows(IllegalArgumentException.class, () -> lamp.handle(command("dim")));
    }

    @Test
    void meterAddsItsDeviceAndReportsReadingsWhileReady() throws Exception {
        RecordingClient client = new RecordingClient();
        DemoMeter meter = new DemoMeter(client, config(1, "meter-x"));
        try {
            assertEquals("meter-x", client.added.get(0).id());
            RecordingClient.Event event = client.events.poll(5, TimeUnit.SECONDS);
            assertNotNull(event, "no reading within 5 s");
            assertEquals("meter-x", event.deviceId());
            assertEquals(DemoDevices.METER_SERVICE, event.serviceId());
            assertTrue(event.data().contains("\"energy_kwh\":"), event.data());
        } finally {
            meter.deactivate();
        }
    }

    @Test
    void meterRejectsANonPositiveInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DemoMeter(new RecordingClient(), config(0, "m")));
        assertTrue(e.getMessage().contains("intervalSeconds"));
    }

    private static MeterConfiguration config(long seconds, String deviceId) {
        return new MeterConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MeterConfiguration.class;
            }

            @Override
            public long intervalSeconds() {
                return seconds;
            }

            @Override
            public String deviceId() {
                return deviceId;
            }
        };
    }
}
