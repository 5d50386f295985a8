package org.sepl.connector.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.felix.gogo.command.Basic;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.sepl.connector.testkit.RecordingClient;

/** The commands run by the real Gogo runtime, as a user types them, and described by Gogo's own {@code help}. */
class GogoHelpAndUsageTest {

    /** The functions of the component's {@code osgi.command.function} property. */
    private static final String[] FUNCTIONS = { "status", "devices", "event" };

    private final SeplCommands commands = new SeplCommands();
    private final RecordingClient client = new RecordingClient();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private ThreadIOImpl threadIO;
    private CommandSession session;

    @BeforeEach
    void startGogo() {
        commands.clients = List.of(Map.entry(Map.<String, Object>of("connector.config.pid", "pid"), client));
        threadIO = new ThreadIOImpl();
        threadIO.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIO);
        for (String function : FUNCTIONS) {
            processor.addCommand(SeplCommands.SCOPE, commands, function);
        }
        processor.addCommand("felix", new Basic(contextWithOneCommandService(commands)), "help");
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @AfterEach
    void stopGogo() {
        session.close();
        threadIO.stop();
    }

    private String run(String line) throws Exception {
        Object result = session.execute(line);
        return result == null ? "" : result.toString();
    }

    @Test
    void eventWithTheRightArgumentsIsSent() throws Exception {
        assertEquals("Acknowledged: 200 ok", run("sepl:event meter-1 reading '{\"kwh\":1.5}'"));
        assertEquals(new RecordingClient.Event("meter-1", "reading", "{\"kwh\":1.5}"), client.events.take());
        assertEquals("Acknowledged: 200 ok", run("sepl:event meter-1 reading"));
        assertEquals(new RecordingClient.Event("meter-1", "reading", null), client.events.take());
    }

    @Test
    void tooFewOrTooManyArgumentsGiveTheUsageAndSendNothing() throws Exception {
        String expectedUsage = """
                Usage: sepl:event DEVICE_ID SERVICE_ID [DATA]
                Sends an event through the highest-ranked client and prints the platform's answer.
                  DEVICE_ID   the device's gateway-local id, as sepl:devices shows it
                  SERVICE_ID  the service the event belongs to (service_uri), e.g. reading
                  DATA        the event's data, usually JSON in single quotes: '{"kwh":1.5}'
                """;
        assertEquals("sepl:event: wrong arguments (1 argument given)\n" + expectedUsage, run("sepl:event meter-1"));
        assertEquals("sepl:event: wrong arguments (0 arguments given)\n" + expectedUsage, run("sepl:event"));
        // data with a space, not quoted: two arguments
        assertEquals("sepl:event: wrong arguments (4 arguments given)\n" + expectedUsage,
                run("sepl:event meter-1 reading switched on"));
        assertTrue(client.events.isEmpty(), "nothing sent");
    }

    @Test
    void commandsWithoutParametersRefuseArgumentsWithTheirUsage() throws Exception {
        assertEquals("""
                sepl:status: wrong arguments (1 argument given)
                Usage: sepl:status
                Shows the state, gateway id, device count, requests in flight, last error, connections, round trips, outbox and loss ledger of every connector client.
                """, run("sepl:status now"));
        assertTrue(run("sepl:devices all").startsWith("sepl:devices: wrong arguments (1 argument given)\n"
                + "Usage: sepl:devices\n"));
        assertTrue(run("sepl:status").startsWith("Client pid"), "without arguments the command runs");
    }

    @Test
    void helpDescribesEveryCommandAndItsParametersButNotTheUsageFallbacks() throws Exception {
        String list = run("help") + console.toString(StandardCharsets.UTF_8);
        console.reset();
        for (String function : FUNCTIONS) {
            assertTrue(list.contains("sepl:" + function), list);
        }

        String help = run("help sepl:event") + console.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("event - sends an event through the highest-ranked client"), help);
        assertTrue(help.contains("event - sends an event without data"), help);
        assertTrue(help.contains("String   the device's gateway-local id, as sepl:devices shows it"), help);
        assertTrue(help.contains("String   the event's data, usually JSON in single quotes"), help);
        assertFalse(help.contains("Object[]"), "the usage fallback stays out of help: " + help);
    }

    @Test
    void everyCommandHasADescriptionAndEveryParameterOne() {
        for (String function : FUNCTIONS) {
            String usage = SeplCommands.usage(function);
            String[] lines = usage.split("\n");
            assertTrue(lines.length >= 2 && lines[1].endsWith("."), "no description for " + function + ": " + usage);
            for (int i = 2; i < lines.length; i++) {
                assertTrue(lines[i].trim().contains("  "), "parameter without description in " + function + ": " + usage);
            }
        }
    }

    /** Just enough of a BundleContext for Gogo's {@code help}: it finds the commands among the services. */
    private static BundleContext contextWithOneCommandService(Object service) {
        ServiceReference<?> reference = (ServiceReference<?>) Proxy.newProxyInstance(
                GogoHelpAndUsageTest.class.getClassLoader(), new Class<?>[] { ServiceReference.class },
                (proxy, method, args) -> switch (method.getName()) {
                case "getProperty" -> switch ((String) args[0]) {
                    case "osgi.command.scope" -> SeplCommands.SCOPE;
                    case "osgi.command.function" -> FUNCTIONS;
                    default -> null;
                    };
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> null;
                });
        return (BundleContext) Proxy.newProxyInstance(GogoHelpAndUsageTest.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> switch (method.getName()) {
                case "getAllServiceReferences", "getServiceReferences" -> new ServiceReference<?>[] { reference };
                case "getService" -> service;
                case "ungetService" -> true;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> null;
                });
    }
}
