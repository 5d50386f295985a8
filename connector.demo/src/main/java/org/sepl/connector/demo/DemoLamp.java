package org.sepl.connector.demo;

import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.ConnectorClient;

/**
 * A simulated lamp: on activation it adds its device to the client, and as a {@link CommandHandler} it executes
 * the platform's {@code on}, {@code off} and {@code state} commands for devices of type
 * {@value DemoDevices#LAMP_TYPE}, answering with the lamp's state as JSON ({@code {"on":true}}).
 * <p>
 * {@link #handle} only flips a flag, so it runs on the client's command thread without delaying it.
 */
@Component(service = { CommandHandler.class, ConnectionListener.class }, property = {
        CommandHandler.DEVICE_TYPE + "=" + DemoDevices.LAMP_TYPE,
        CommandHandler.SERVICE + "=on",
        CommandHandler.SERVICE + "=off",
        CommandHandler.SERVICE + "=state" })
public final class DemoLamp implements CommandHandler, ConnectionListener {

    private static final System.Logger LOG = System.getLogger(DemoLamp.class.getName());

    private final AtomicBoolean on = new AtomicBoolean();
    private final DevicePublisher publisher;

    @Activate
    public DemoLamp(@Reference ConnectorClient client) {
        this.publisher = new DevicePublisher(client, DemoDevices.lamp());
        publisher.publish();
    }

    @Override
    public CommandResult handle(Command command) {
        boolean state = switch (command.serviceId()) {
            case "on" -> {
                on.set(true);
                yield true;
            }
            case "off" -> {
                on.set(false);
                yield false;
            }
            case "state" -> on.get();
            default -> throw new IllegalArgumentException("lamp has no service '" + command.serviceId() + "'");
        };
        LOG.log(System.Logger.Level.INFO, "Lamp " + command.deviceId() + ": command " + command.serviceId()
                + " (task " + command.taskId() + ") answered, lamp is " + (state ? "on" : "off"));
        return CommandResult.of("{\"on\":" + state + "}");
    }

    /** @return whether the lamp is on */
    public boolean isOn() {
        return on.get();
    }

    @Override
    public void connected(String gatewayId) {
        publisher.publish();
    }

    @Override
    public void disconnected(String reason) {
        // The lamp keeps its state; commands only come while connected.
    }
}
