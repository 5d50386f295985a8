package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.Device;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.command.CommandAge;
import org.sepl.connector.testkit.MovableClock;

/**
 * A gateway whose clock is wrong, against the platform emulator, whose clock is set off instead (the same thing as
 * the gateway sees it): commands still reach the device code, and a command the platform held back is still refused.
 */
class WrongClockTest {

    /** The platform's clock: the system's, set off by the gateway clock's error the other way. */
    private final MovableClock platformClock = MovableClock.system();
    private EmulatorFixture fixture;
    private DefaultConnectorClient client;
    private final AtomicInteger executed = new AtomicInteger();

    private void start(Duration gatewayClockError) throws Exception {
        platformClock.advance(gatewayClockError.negated());
        fixture = new EmulatorFixture("", b -> b.clock(platformClock));
        fixture.devices.add(new Device("lamp-1", "iot#lamp", "Lamp"));
        client = fixture.client().commandMaxAge(Duration.ofSeconds(30)).commandHandler(c -> {
            executed.incrementAndGet();
            return CommandResult.of("{\"on\":true}");
        }, Map.of(CommandHandler.DEVICE_ID, "lamp-1")).start();
        Await.until("ready", client::isReady);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** @return the answer's metadata: the error, or null when the command ran */
    private Object command() throws Exception {
        PlatformEmulator.CommandResponse answer = fixture.platform.sendCommand("lamp-1", "set_on", "{\"on\":true}", null)
                .get(10, TimeUnit.SECONDS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parts = (List<Map<String, Object>>) answer.payload().get("protocol_parts");
        return parts.stream().filter(p -> "metadata".equals(p.get("name"))).findFirst().orElseThrow().get("value");
    }

    /** The case reported: five commands to a gateway ten minutes fast were all answered "older than the maximum". */
    @Test
    void withTheGatewaysClockTenMinutesFastCommandsReachTheDeviceCode() throws Exception {
        try (LogCapture log = new LogCapture(CommandAge.class)) {
            start(Duration.ofMinutes(10));
            Object first = command();
            assertTrue(String.valueOf(first).contains("older than the maximum command age")
                    && String.valueOf(first).contains("by the gateway's clock"), String.valueOf(first));
            // a person at the platform's page sends the next one a few seconds later: it comes alone, as late as the
            // first, which shows the gateway's clock is off; from then on every command runs
            Thread.sleep(CommandAge.MIN_SPACING_MILLIS + 200);
            for (int i = 0; i < 4; i++) {
                assertEquals(null, command(), "command " + (i + 2));
            }
            assertEquals(4, executed.get());
            assertTrue(log.has(Level.WARNING, "The gateway's clock is 600 s ahead of the platform's", "NTP"),
                    log.lines().toString());

            platformClock.advance(Duration.ofSeconds(-45)); // the platform holds a command back for 45 s
            Object late = command();
            assertTrue(String.valueOf(late).contains("older than the maximum command age")
                    && String.valueOf(late).contains("by the platform's clock"), String.valueOf(late));
            assertEquals(4, executed.get());
        }
    }

    @Test
    void withTheGatewaysClockDaysBehindEveryCommandRuns() throws Exception {
        start(Duration.ofDays(-3)); // a Raspberry Pi without a real-time clock, booted in the past
        for (int i = 0; i < 3; i++) {
            assertEquals(null, command(), "command " + (i + 1));
        }
        assertEquals(3, executed.get());
    }
}
