package org.sepl.connector.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.StandaloneConnectorClient;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * The original Python client's quick start, in plain Java: no OSGi, four artifacts ({@code connector.api},
 * {@code connector.impl}, {@code connector.transport.tyrus}, {@code connector.store.memory}) and their dependencies.
 * The code names only {@code connector.api} types and the in-memory device manager.
 * <ol>
 * <li><b>Initiation phase:</b> collect the devices in a device manager.</li>
 * <li>Start the client: it connects, synchronises the devices and reconnects by itself when the connection is
 * lost.</li>
 * <li><b>Runtime phase:</b> receive a command and answer it, push an event, register a new device, update it,
 * disconnect one and delete one.</li>
 * </ol>
 * Run it against a platform emulator ({@code java -jar platform-emulator/target/platform-emulator.jar}, account
 * demo/demo on port 8080) with
 * {@code java -cp … org.sepl.connector.examples.QuickStartGateway 127.0.0.1 8080 demo demo} and send it a command
 * through the emulator's control port (see examples/README.md). {@code QuickStartGatewayTest} runs it the same
 * way in the build.
 */
public final class QuickStartGateway {

    /** Device types must exist on the platform beforehand; the emulator accepts any. */
    static final String LAMP_TYPE = "iot#lamp-type-id";
    static final String METER_TYPE = "iot#meter-type-id";
    static final String SENSOR_TYPE = "iot#sensor-type-id";

    /** Where and as whom to connect, and how long the runtime phase waits for a command. */
    public record Settings(String host, int port, String user, String password, Path gatewayIdFile,
            Duration commandWait) {
    }

    private QuickStartGateway() {
    }

    /** {@code QuickStartGateway HOST PORT USER PASSWORD [GATEWAY_ID_FILE]} */
    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 5) {
            System.err.println("Usage: QuickStartGateway HOST PORT USER PASSWORD [GATEWAY_ID_FILE]");
            System.exit(2);
        }
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            System.err.println("PORT must be a number (1-65535), was '" + args[1] + "'");
            System.exit(2);
            return;
        }
        Path idFile = Path.of(args.length == 5 ? args[4] : "gateway-id.txt");
        boolean ok = run(new Settings(args[0], port, args[2], args[3], idFile, Duration.ofMinutes(5)),
                System.out::println);
        System.exit(ok ? 0 : 1);
    }

    /**
     * Runs the quick start once and closes the client.
     *
     * @param log receives one line per step
     * @return whether every step was acknowledged by the platform
     */
    public static boolean run(Settings settings, Consumer<String> log) throws InterruptedException {
        // ---- initiation phase: collect the devices ----------------------------------------------------
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        Device lamp = new Device("lamp-1", LAMP_TYPE, "Hall lamp", Map.of("room", "hall"));
        Device meter = new Device("meter-1", METER_TYPE, "Power meter");
        devices.add(lamp);
        devices.add(meter);

        // ---- start the client: it connects and synchronises in the background ---------------------------
        try (StandaloneConnectorClient client = ConnectorClient.builder()
                .platform(settings.host(), settings.port(), false)
                .credentials(settings.user(), settings.password())
                .gatewayIdStore(GatewayIdStore.file(settings.gatewayIdFile()))
                .deviceManager(devices)
                .start()) {
            if (!client.awaitReady(Duration.ofSeconds(30))) {
                // the client keeps trying with back-off; this example gives up instead
                log.accept("Not connected after 30 s: " + client.status().lastError());
                return false;
            }
            log.accept("Ready: gateway " + client.gatewayId() + ", " + devices.devices().size() + " devices");

            boolean ok = true;
            try {
                // ---- runtime phase ----------------------------------------------------------------------
                // Receive a command and respond (a CommandHandler, see connector.impl/README.md, does the same
                // without a loop of your own)
                log.accept("Waiting up to " + settings.commandWait().toSeconds() + " s for a command");
                Optional<Command> command = client.receive(settings.commandWait());
                if (command.isPresent()) {
                    Command c = command.get();
                    boolean on = c.data() != null && c.data().contains("true");   // {"on": true}
                    Response answered = client.respond(c, "{\"on\":" + on + "}", null);
                    log.accept("Command " + c.serviceId() + " for " + c.deviceId() + " answered: " + text(answered));
                    ok &= answered.isSuccess();
                } else {
                    log.accept("No command came");
                }

                // Push an event
                Response event = client.event(meter, "reading", "{\"kwh\":1.43}", null);
                log.accept("Event reading of meter-1: " + text(event));
                ok &= event.isSuccess();

                // Register a new device
                Device sensor = new Device("sensor-1", SENSOR_TYPE, "Window sensor");
                Response added = client.add(sensor);
                log.accept("Added sensor-1: " + text(added));
                ok &= added.isSuccess();

                // Update it: a new name and a tag
                Device renamed = new Device("sensor-1", SENSOR_TYPE, "Kitchen window", Map.of("room", "kitchen"));
                Response updated = client.update(renamed);
                log.accept("Updated sensor-1: " + text(updated));
                ok &= updated.isSuccess();

                // Disconnect a device: it stays on the platform, shown as disconnected
                Response disconnected = client.disconnect("meter-1");
                log.accept("Disconnected meter-1: " + text(disconnected));
                ok &= disconnected.isSuccess();

                // Delete a device from the platform
                Response deleted = client.delete("sensor-1");
                log.accept("Deleted sensor-1: " + text(deleted));
                ok &= deleted.isSuccess();
            } catch (ConnectorException e) {
                // no answer: not connected (any more), timeout, or the connection was lost
                log.accept("No answer (" + e.reason() + "): " + e.getMessage());
                return false;
            }
            log.accept(ok ? "Done" : "Done, with refusals");
            return ok;
        }
    }

    private static String text(Response response) {
        return response.status() + " " + response.payloadText();
    }
}
