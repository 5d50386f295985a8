package org.sepl.connector.demo;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the demo meter (PID {@value #PID}); optional, every property has a default. */
@ObjectClassDefinition(id = MeterConfiguration.PID, name = "SEPL demo meter",
        description = "A simulated energy meter that reports a reading at a fixed interval.")
public @interface MeterConfiguration {

    String PID = "org.sepl.connector.demo.meter";

    @AttributeDefinition(name = "Interval (s)", description = "Seconds between two readings.", min = "1")
    long intervalSeconds() default 5;

    @AttributeDefinition(name = "Device id", description = "Gateway-local id of the meter.")
    String deviceId() default DemoDevices.METER_ID;
}
