package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;
import org.sepl.connector.emulator.PlatformEmulator;

/**
 * The "minimal gateway bundle" of README.md, copied verbatim (keep them in step), wired as DS would wire it, against
 * the emulator: it connects, syncs its devices, pushes events and answers commands.
 */
class ReadmeExampleTest {

    /** A lamp that obeys on/off commands. */
    @Component(property = {CommandHandler.DEVICE_ID + "=lamp-1"})
    public static class LampHandler implements CommandHandler {
        private volatile boolean on;

        @Override
        public CommandResult handle(Command command) {
            on = command.data().contains("true");              // {"on": true}
            return CommandResult.of("{\"on\":" + on + "}");
        }
    }

    /** Registers the devices and reports a meter reading every 5 s. */
    @Component
    public static class MyGateway {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        @Activate
        public MyGateway(@Reference ConnectorClient client) {
            // stored in the device manager at once; on the platform now if connected, else at the next connect's sync
            client.addAsync(new Device("lamp-1", "iot#lamp-type-id", "Hall lamp"));
            client.addAsync(new Device("meter-1", "iot#meter-type-id", "Power meter"));
            timer.scheduleAtFixedRate(() -> client
                    .eventAsync("meter-1", "reading", "{\"kwh\":" + Math.random() + "}", null)
                    .whenComplete((response, error) -> {
                        if (error != null) { /* not connected, timeout: decide what to keep */ }
                    }), 0, 5, TimeUnit.SECONDS);
        }

        @Deactivate
        void stop() {
            timer.shutdownNow();
        }
    }

    @Test
    void theReadmeGatewayConnectsSyncsSendsEventsAndAnswersCommands() throws Exception {
        try (EmulatorFixture fixture = new EmulatorFixture();
                DefaultConnectorClient client = fixture.client()
                        .commandHandler(new LampHandler(), Map.of(CommandHandler.DEVICE_ID, "lamp-1")).start()) {
            assertTrue(client.awaitReady(Duration.ofSeconds(10)), "ready: " + client.status());
            MyGateway gateway = new MyGateway(client);
            try {
                Await.until("both devices on the platform", () -> fixture.onPlatform(client, "lamp-1").isPresent()
                        && fixture.onPlatform(client, "meter-1").isPresent());
                Await.until("an acknowledged reading", () -> fixture.platform.events().stream()
                        .anyMatch(e -> e.deviceUri().equals("meter-1") && e.status() == 200));
                PlatformEmulator.CommandResponse answer = fixture.platform
                        .sendCommand("lamp-1", "set_on", "{\"on\": true}", null).get(10, TimeUnit.SECONDS);
                assertEquals("{\"on\":true}", ((Map<?, ?>) ((java.util.List<?>) answer.payload().get("protocol_parts")).get(1)).get("value"));
                Await.until("platform hash = local hash",
                        () -> Device.gatewayHash(fixture.devices.devices()).equals(fixture.platformHash(client)));
            } finally {
                gateway.stop();
            }
        }
    }
}
