package org.sepl.connector.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.sepl.connector.api.Device;

/** Ids and types of the demo's simulated devices. */
final class DemoDevices {

    static final String METER_ID = "demo-meter-1";
    static final String METER_TYPE = "demo-meter";
    static final String METER_SERVICE = "reading";

    static final String LAMP_ID = "demo-lamp-1";
    static final String LAMP_TYPE = "demo-lamp";

    private DemoDevices() {
    }

    static Device meter(String id) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("room", "basement");
        tags.put("unit", "kWh");
        return new Device(id, METER_TYPE, "Demo energy meter", tags);
    }

    static Device lamp() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("room", "living-room");
        tags.put("dimmable", "false");
        return new Device(LAMP_ID, LAMP_TYPE, "Demo lamp", tags);
    }
}
