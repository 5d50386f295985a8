package org.sepl.connector.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that executes the platform's commands for some devices.
 * <p>
 * Register it as an OSGi service (or pass it to the plain-Java client builder) with service properties that
 * say which commands it takes. Each property is a string or an array of strings; a missing property matches
 * everything:
 * <ul>
 * <li>{@value #DEVICE_TYPE}: platform device types ({@link Device#type()} of the device in the device manager);</li>
 * <li>{@value #DEVICE_ID}: gateway-local device ids;</li>
 * <li>{@value #SERVICE}: service ids ({@code service_url}).</li>
 * </ul>
 * Among the handlers that match a command, the one with the highest service ranking gets it (then the lowest
 * service id). A command no handler matches goes to {@link ConnectorClient#receive()}.
 * <p>
 * <b>Threads.</b> {@link #handle} runs on the client's command threads, never on its network thread; commands for
 * are handed over in arrival order and may run concurrently. A handler may block (talk to the device), but every blocked
 * handler holds one command thread: hand long work to your own executor, return {@code null}, and answer later
 * with {@link ConnectorClient#respondAsync}.
 */
@ConsumerType
public interface CommandHandler {

    /** Service property: device types this handler takes. */
    String DEVICE_TYPE = "connector.command.device.type";
    /** Service property: device ids this handler takes. */
    String DEVICE_ID = "connector.command.device.id";
    /** Service property: service ids this handler takes. */
    String SERVICE = "connector.command.service";

    /**
     * Executes a command.
     *
     * @return the answer, which the client sends as the command's response; or {@code null} if the handler will
     *         answer later itself through {@link ConnectorClient#respondAsync}
     * @throws Exception if the command failed; the client logs it and answers with {@code data} null and
     *                   {@code metadata} {@code {"error": "<message>"}}
     */
    CommandResult handle(Command command) throws Exception;
}
