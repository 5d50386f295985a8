package org.sepl.connector.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.Response;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The client as a user deploys it: configured through Config Admin, talking to the platform emulator, with the
 * stock device managers and whiteboard services registered by this test.
 * <p>
 * One framework and one emulator for the class; every test creates its own client configuration and removes it
 * (and its services) afterwards.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectorClientIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    /** Made on first use: Pax Exam also instantiates this class outside the framework, before the bridge runs. */
    private PlatformControl platform;
    private ClientConfigurations clients;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Configuration
    public Option[] config() {
        // connector.store.sqlite is installed by the hot-swap test, as a user would do it
        return options(Deployment.base(), PlatformBridge.start(),
                Deployment.runtimeExcept(Deployment.SQLITE_STORE, Deployment.DEMO));
    }

    @Before
    public void clientConfigurations() {
        clients = new ClientConfigurations(context, configurationAdmin, TIMEOUT);
    }

    @After
    public void removeClientsAndServices() throws Exception {
        registrations.forEach(ServiceRegistration::unregister);
        clients.deleteAll();
        Poll.until("every client service gone", TIMEOUT, () -> clients.references().isEmpty());
    }

    @Test
    public void aConfigurationFromConfigAdminConnectsTheClient() throws Exception {
        String pid = clients.configure(platform().port());
        ConnectorClient client = clients.ready(pid);

        assertFalse("gateway id", client.gatewayId().isEmpty());
        Set<String> local = ids(highestRankedDeviceManager().devices());
        Poll.until("the platform's gateway holds the local devices " + local, TIMEOUT,
                () -> new HashSet<>(platform().devicesOf(client.gatewayId())), local::equals);
        assertEquals("component state", List.of(ComponentConfigurationDTO.ACTIVE), clientComponentStates());
    }

    @Test
    public void theClientHasAnMBeanAndAHealthCheck() throws Exception {
        String pid = clients.configure(platform().port());
        clients.ready(pid);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("org.sepl.connector:type=ConnectorClient,name=" + ObjectName.quote(pid));
        Poll.until("the client's MBean, READY", TIMEOUT, () -> {
            try {
                return String.valueOf(server.getAttribute(name, "State"));
            } catch (Exception e) {
                return e.toString();
            }
        }, "READY"::equals);

        // the Health Check API's types are not this test's: by name, and its result by reflection
        ServiceReference<?>[] checks = context.getServiceReferences("org.apache.felix.hc.api.HealthCheck",
                "(hc.name=SEPL connector client " + pid + ")");
        assertNotNull("a health check for " + pid, checks);
        assertEquals(1, checks.length);
        assertTrue(List.of((String[]) checks[0].getProperty("hc.tags")).contains("sepl-connector"));
        Object check = context.getService(checks[0]);
        try {
            Object result = check.getClass().getMethod("execute").invoke(check);
            assertEquals(result.toString(), "OK", String.valueOf(result.getClass().getMethod("getStatus").invoke(result)));
        } finally {
            context.ungetService(checks[0]);
        }
    }

    @Test
    public void eventsReachThePlatform() throws Exception {
        ConnectorClient client = clients.ready(clients.configure(platform().port()));
        Device thermometer = new Device("itest-thermometer", "iot#thermometer", "Thermometer");
        assertEquals(200, client.add(thermometer).status());

        Response response = client.event(thermometer.id(), "temperature", "{\"celsius\":21.5}", "{\"unit\":\"C\"}");

        assertEquals(response.toString(), 200, response.status());
        JsonObject event = Poll.until("the event on the platform", TIMEOUT, () -> lastEventOf(thermometer.id()),
                e -> e != null);
        assertEquals("temperature", event.get("serviceUri").getAsString());
        assertEquals("{\"celsius\":21.5}", event.get("data").getAsString());
        assertEquals("{\"unit\":\"C\"}", event.get("metadata").getAsString());
    }

    @Test
    public void aCommandReachesItsHandlerAndTheAnswerReachesThePlatform() throws Exception {
        ConnectorClient client = clients.ready(clients.configure(platform().port()));
        Device lamp = new Device("itest-lamp", "iot#lamp", "Lamp");
        assertEquals(200, client.add(lamp).status());
        List<Command> handled = new CopyOnWriteArrayList<>();
        CommandHandler handler = command -> {
            handled.add(command);
            return new CommandResult("{\"on\":true}", "{\"by\":\"itest\"}");
        };
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(CommandHandler.DEVICE_ID, lamp.id());
        registrations.add(context.registerService(CommandHandler.class, handler, properties));

        JsonObject answer = platform().command(lamp.id(), "set_on", "{\"on\":true}").get(20, TimeUnit.SECONDS);

        assertEquals(1, handled.size());
        assertEquals("set_on", handled.get(0).serviceId());
        assertEquals("{\"on\":true}", handled.get(0).data());
        assertEquals(lamp.id(), answer.get("device_url").getAsString());
        assertEquals("{\"on\":true}", protocolPart(answer, "data"));
        assertEquals("{\"by\":\"itest\"}", protocolPart(answer, "metadata"));
    }

    @Test
    public void anUnclaimedCommandIsReceivedAndRespondedTo() throws Exception {
        ConnectorClient client = clients.ready(clients.configure(platform().port()));
        Device meter = new Device("itest-meter", "iot#meter", "Meter");
        assertEquals(200, client.add(meter).status());

        CompletableFuture<JsonObject> answer = platform().command(meter.id(), "reset", "{}");
        Command command = client.receive(TIMEOUT).orElseThrow(() -> new AssertionError("no command received"));
        assertEquals(meter.id(), command.deviceId());
        assertEquals("reset", command.serviceId());
        assertEquals(200, client.respond(command, "{\"reset\":true}", null).status());

        JsonObject payload = answer.get(20, TimeUnit.SECONDS);
        assertEquals(command.taskId(), payload.get("task_id").getAsString());
        assertEquals("{\"reset\":true}", protocolPart(payload, "data"));
    }

    @Test
    public void aBetterDeviceManagerTakesTheDevicesOverAndStoppingItFallsBackWithThem() throws Exception {
        ConnectorClient client = clients.ready(clients.configure(platform().port()));
        String gatewayId = client.gatewayId();
        assertEquals(200, client.add(new Device("itest-memory-device", "iot#lamp", "In memory")).status());
        Set<String> inMemory = ids(highestRankedDeviceManager().devices());
        awaitPlatformDevices(gatewayId, inMemory);

        Bundle sqlite = context.installBundle(Deployment.bundleFile("connector.store.sqlite").toURI().toString());
        try {
            sqlite.start();
            // The SQLite store starts empty; the client hands the devices it had over to it (connector.impl's policy).
            Poll.until("the SQLite device manager in use, holding the in-memory devices", TIMEOUT,
                    () -> Deployment.SQLITE_STORE.equals(context.getServiceReference(DeviceManager.class).getBundle()
                            .getSymbolicName()) && ids(highestRankedDeviceManager().devices()).equals(inMemory));
            awaitPlatformDevices(gatewayId, inMemory);
            Poll.until("the client ready again", TIMEOUT, client::isReady);
            assertEquals(200, client.add(new Device("itest-sqlite-device", "iot#lamp", "Persistent")).status());
            Set<String> both = new HashSet<>(inMemory);
            both.add("itest-sqlite-device");
            awaitPlatformDevices(gatewayId, both);

            // Stopped, the store hands its devices back to the in-memory fallback: the platform keeps them.
            sqlite.stop();
            awaitPlatformDevices(gatewayId, both);
            Poll.until("the in-memory device manager in use, holding every device", TIMEOUT,
                    () -> ids(highestRankedDeviceManager().devices()).equals(both));

            // Started again, the SQLite store still holds its devices.
            sqlite.start();
            awaitPlatformDevices(gatewayId, both);
        } finally {
            sqlite.uninstall();
        }
        Poll.until("client ready after the swaps", TIMEOUT, client::isReady);
    }

    @Test
    public void changingPortAndCredentialsReconnects() throws Exception {
        org.osgi.service.cm.Configuration configuration = clients.create();
        String pid = configuration.getPid();

        int port = platform().port();
        configuration.update(ClientConfigurations.properties(PlatformBridge.USER, PlatformBridge.PASSWORD, closedPort()));
        awaitFailingClient(pid);
        configuration.update(ClientConfigurations.properties(PlatformBridge.USER, PlatformBridge.PASSWORD, port));
        clients.ready(pid);

        configuration.update(ClientConfigurations.properties(PlatformBridge.OTHER_USER, "wrong password", port));
        awaitFailingClient(pid);
        configuration.update(ClientConfigurations.properties(PlatformBridge.OTHER_USER, PlatformBridge.OTHER_PASSWORD, port));
        ConnectorClient bob = clients.ready(pid);
        assertEquals(PlatformBridge.OTHER_USER, clients.reference(pid).getProperty("user"));
        assertEquals("the account the platform sees", Optional.of(PlatformBridge.OTHER_USER),
                platform().ownerOf(bob.gatewayId()));
    }

    @Test
    public void restartingTheClientBundleLeaksNoThreadsAndReconnects() throws Exception {
        String pid = clients.configure(platform().port());
        clients.ready(pid);
        Bundle impl = bundle("connector.impl");

        impl.stop();
        Poll.until("client service gone", TIMEOUT, () -> clients.references().isEmpty());
        Set<String> baseline = Poll.until("threads settled", TIMEOUT, new SettledThreads(), s -> s != null);

        impl.start();
        ConnectorClient client = clients.ready(pid);
        assertEquals(200, client.event(addedDevice(client, "itest-restart").id(), "ping", "1", null).status());
        assertFalse("the running client's threads are visible (else this test proves nothing)",
                difference(threadNames(), baseline).isEmpty());
        impl.stop();

        Set<String> leaked = Poll.until("threads started by connector.impl to end", TIMEOUT,
                () -> difference(threadNames(), baseline), Set::isEmpty);
        assertEquals(Set.of(), leaked);

        impl.start();
        assertTrue(clients.ready(pid).isReady());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private PlatformControl platform() {
        if (platform == null) {
            platform = new PlatformControl();
        }
        return platform;
    }

    private Device addedDevice(ConnectorClient client, String id) throws Exception {
        Device device = new Device(id, "iot#lamp", id);
        assertEquals(200, client.add(device).status());
        return device;
    }





    /** Waits for the client of {@code pid} to exist and to have failed to connect at least once. */
    private void awaitFailingClient(String pid) throws InterruptedException {
        ConnectorClient client = Poll.until("a client for " + pid + " that failed to connect", TIMEOUT,
                () -> clients.client(pid), c -> c != null && c.status().lastError() != null);
        assertFalse("connected although it must not", client.isReady());
    }




    private DeviceManager highestRankedDeviceManager() {
        ServiceReference<DeviceManager> reference = context.getServiceReference(DeviceManager.class);
        assertNotNull("a device manager service", reference);
        return context.getService(reference);
    }

    private List<Integer> clientComponentStates() {
        List<Integer> states = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.name.equals(ClientConfigurations.CLIENT_PID)) {
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    states.add(configuration.state);
                }
            }
        }
        return states;
    }

    private void awaitPlatformDevices(String gatewayId, Set<String> expected) throws InterruptedException {
        Poll.until("the platform's gateway to hold exactly " + expected, TIMEOUT,
                () -> new HashSet<>(platform().devicesOf(gatewayId)), expected::equals);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private JsonObject lastEventOf(String deviceId) {
        JsonObject last = null;
        for (JsonElement event : platform().events()) {
            if (deviceId.equals(event.getAsJsonObject().get("deviceUri").getAsString())) {
                last = event.getAsJsonObject();
            }
        }
        return last;
    }

    private static String protocolPart(JsonObject commandPayload, String name) {
        JsonArray parts = commandPayload.getAsJsonArray(Command.PROTOCOL_PARTS);
        for (JsonElement part : parts) {
            JsonObject p = part.getAsJsonObject();
            if (name.equals(p.get("name").getAsString())) {
                return p.get("value").isJsonNull() ? null : p.get("value").getAsString();
            }
        }
        throw new AssertionError("no protocol part " + name + " in " + commandPayload);
    }

    private static Set<String> ids(java.util.Collection<Device> devices) {
        return devices.stream().map(Device::id).collect(Collectors.toSet());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Names of live threads, except those that belong to the JDK's shared pools or to this test's HTTP client of the
     * platform bridge (not connector.impl's to end).
     */
    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> !name.startsWith("HttpClient-") && !name.startsWith("ForkJoinPool.commonPool-"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    /** Thread names once two snapshots in a row agree; null (poll again) until then. */
    private static final class SettledThreads implements java.util.function.Supplier<Set<String>> {
        private Set<String> previous = Set.of();

        @Override
        public Set<String> get() {
            Set<String> now = threadNames();
            Set<String> settled = now.equals(previous) ? now : null;
            previous = now;
            return settled;
        }
    }
}
