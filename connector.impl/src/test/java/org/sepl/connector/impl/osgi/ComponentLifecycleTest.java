package org.sepl.connector.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.Await;
import org.sepl.connector.impl.LogCapture;
import org.sepl.connector.impl.sync.DeviceSynchroniser;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.store.memory.InMemoryOutbox;
import org.sepl.connector.transport.jdk.JdkWebSocketTransport;
import org.sepl.connector.transport.tyrus.TyrusWebSocketTransport;

/**
 * The DS component driven as SCR drives it, without a framework: a swap of device managers or transports and a
 * framework shutdown never change what the platform knows (the shutdown sends nothing but the close); a configured device manager is
 * waited for before the first synchronisation; a bad value keeps the client down without an exception, and the
 * corrected configuration brings it up.
 */
class ComponentLifecycleTest {

    private PlatformEmulator platform;
    private Path dataDir;
    private final JdkWebSocketTransport transport = new JdkWebSocketTransport();
    private final AtomicReference<ConnectorClient> registered = new AtomicReference<>();
    /** What the system bundle reports: ACTIVE, or STOPPING during a framework shutdown. */
    private final AtomicInteger frameworkState = new AtomicInteger(Bundle.ACTIVE);
    private final Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getState" -> frameworkState.get();
                default -> throw new UnsupportedOperationException(method.getName());
            });
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getDataFile" -> new File(dataDir.toFile(), (String) args[0]);
                case "getBundle" -> bundle;
                case "registerService" -> {
                    registered.set((ConnectorClient) args[1]);
                    yield Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (p, m, a) -> {
                                if (m.getName().equals("unregister")) {
                                    registered.set(null);
                                }
                                return null;
                            });
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });

    @BeforeEach
    void start() throws Exception {
        platform = PlatformEmulator.builder().user("alice", "secret").start();
        dataDir = Files.createTempDirectory("sepl-component");
    }

    @AfterEach
    void stop() {
        transport.close();
        platform.close();
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "org.sepl.connector.client");
        p.put("host", "127.0.0.1");
        p.put("port", platform.port());
        p.put("user", "alice");
        p.put(".password", "secret");
        p.put("reconnectInitialDelayMillis", 20L);
        p.put("reconnectMaxDelayMillis", 200L);
        return p;
    }

    private static Map<String, Object> service(String name, int ranking, String nameProperty) {
        Map<String, Object> p = new HashMap<>();
        p.put(nameProperty, name);
        p.put("service.ranking", ranking);
        return p;
    }

    private ConnectorClientComponent component(DeviceManager manager, String name, int ranking) {
        ConnectorClientComponent component = new ConnectorClientComponent();
        component.addDeviceManager(manager, service(name, ranking, DeviceManager.NAME));
        component.addTransport(transport, service("jdk", 10, WebSocketTransport.NAME));
        return component;
    }

    private long syncRequests() {
        return platform.requestCount("clear") + platform.requestCount("put") + platform.requestCount("commit");
    }

    @Test
    void aSwapHandsTheDevicesOverAndAFrameworkShutdownSendsNothingButTheClose() throws Exception {
        InMemoryDeviceManager sqliteLike = new InMemoryDeviceManager();
        sqliteLike.add(new Device("lamp-1", "iot#lamp", "Lamp"));
        sqliteLike.add(new Device("meter-1", "iot#meter", "Meter"));
        ConnectorClientComponent component = component(sqliteLike, "sqlite", 10);
        Map<String, Object> props = properties();
        component.activate(context, props);
        Await.until("ready", () -> registered.get() != null && registered.get().isReady());
        String gid = registered.get().gatewayId();
        String hash = platform.gateway(gid).orElseThrow().hash();
        assertEquals(Device.gatewayHash(sqliteLike.devices()), hash);

        // the persistent store stops at run time: DS binds the (empty) in-memory fallback, then unbinds the store
        InMemoryDeviceManager fallback = new InMemoryDeviceManager();
        component.addDeviceManager(fallback, service("memory", 0, DeviceManager.NAME));
        long before = syncRequests();
        component.removeDeviceManager(sqliteLike);
        Await.until("the devices handed over", () -> fallback.devices().size() == 2);
        Await.until("ready after the swap", () -> registered.get().isReady());
        assertEquals(hash, platform.gateway(gid).orElseThrow().hash());
        assertEquals(before, syncRequests(), "the lists agree: nothing was sent");

        // framework shutdown: the stores stop before the client; the first unbind closes it, nothing else is sent
        ConnectorClient client = registered.get();
        frameworkState.set(Bundle.STOPPING);
        InMemoryDeviceManager lastOne = new InMemoryDeviceManager();
        component.addDeviceManager(lastOne, service("memory", 5, DeviceManager.NAME));
        component.removeDeviceManager(fallback);
        assertEquals(ConnectionState.CLOSED, client.state(), "closed by the framework's shutdown");
        component.deactivate();
        Await.until("the session closed", () -> platform.openSessions() == 0);
        assertEquals(before, syncRequests(), "a shutdown sends nothing but the close");
        assertEquals(hash, platform.gateway(gid).orElseThrow().hash());
        assertEquals(2, platform.gateway(gid).orElseThrow().devices().size());
        assertTrue(lastOne.devices().isEmpty(), "nothing was handed to a store during the shutdown");
    }

    @Test
    void transportsComingAndGoingMoveTheConnectionAndNeverTouchTheDeviceList() throws Exception {
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        devices.add(new Device("meter-1", "iot#meter", "Meter"));
        ConnectorClientComponent component = component(devices, "memory", 0);
        component.bindOutbox(new InMemoryOutbox());
        component.activate(context, properties());
        ConnectorClient client = registered.get();
        Await.until("ready over the JDK transport", client::isReady);
        String gid = client.gatewayId();
        long syncs = syncRequests();
        long connects = platform.connectionAttempts();

        try (TyrusWebSocketTransport tyrus = new TyrusWebSocketTransport()) {
            // a better transport starts: the client moves to it
            component.addTransport(tyrus, service("tyrus", 20, WebSocketTransport.NAME));
            Await.until("reconnected over Tyrus", () -> platform.connectionAttempts() > connects && client.isReady());
            assertEquals(200, client.event("meter-1", "reading", "over tyrus", null).status());

            // the transport in use stops: back to the other one
            long beforeStop = platform.connectionAttempts();
            component.removeTransport(tyrus);
            Await.until("reconnected over the JDK", () -> platform.connectionAttempts() > beforeStop
                    && client.isReady());
        }
        // the last transport goes: the client waits for one, and connects when one comes
        component.removeTransport(transport);
        Await.until("waiting for a transport, and saying so", () -> !client.isReady()
                && String.valueOf(client.status().lastError()).contains("no WebSocket transport is available"));
        component.addTransport(transport, service("jdk", 10, WebSocketTransport.NAME));
        Await.until("ready again", client::isReady);

        assertEquals(syncs, syncRequests(), "the lists agree at every reconnect: no clear, put or commit");
        assertEquals(Device.gatewayHash(devices.devices()), platform.gateway(gid).orElseThrow().hash());
        assertEquals(1, platform.events().size());
        component.deactivate();
    }

    @Test
    void theFirstSynchronisationWaitsForTheConfiguredDeviceManager() throws Exception {
        InMemoryDeviceManager standIn = new InMemoryDeviceManager(); // the fallback, up first
        ConnectorClientComponent component = component(standIn, "memory", 0);
        Map<String, Object> props = properties();
        props.put("deviceManager", "sqlite");
        props.put("deviceManagerWaitMillis", 30_000L);
        component.activate(context, props);
        ConnectorClient client = registered.get();
        assertEquals(ConnectionState.DISCONNECTED, client.state());
        assertEquals(0, platform.openSessions(), "no connection while the configured device manager is away");

        InMemoryDeviceManager sqliteLike = new InMemoryDeviceManager();
        sqliteLike.add(new Device("lamp-1", "iot#lamp", "Lamp"));
        component.addDeviceManager(sqliteLike, service("sqlite", 10, DeviceManager.NAME));
        Await.until("ready", client::isReady);
        assertEquals(1, platform.requestCount("commit"), "one synchronisation, of the configured manager");
        assertEquals(Device.gatewayHash(sqliteLike.devices()),
                platform.gateway(client.gatewayId()).orElseThrow().hash());
        component.deactivate();
    }

    @Test
    void aConfiguredDeviceManagerThatNeverComesIsWaitedForBoundedly() throws Exception {
        InMemoryDeviceManager standIn = new InMemoryDeviceManager();
        standIn.add(new Device("meter-1", "iot#meter", "Meter"));
        ConnectorClientComponent component = component(standIn, "memory", 0);
        Map<String, Object> props = properties();
        props.put("deviceManager", "sqlite");
        props.put("deviceManagerWaitMillis", 300L);
        component.activate(context, props);
        Await.until("ready with the one present", Duration.ofSeconds(10), () -> registered.get().isReady());
        component.deactivate();
    }

    /**
     * The configured SQLite device manager does not start at a restart (its file is damaged): the in-memory one stands
     * in, holding only what the gateway's bundle added again. The client connects (events and commands go on) but
     * keeps the platform's list as it is; once the repaired store comes, it synchronises with it.
     */
    @Test
    void aStandInNeverReplacesThePlatformsListWhileTheConfiguredDeviceManagerIsAway() throws Exception {
        InMemoryDeviceManager sqliteLike = new InMemoryDeviceManager();
        for (String id : new String[] {"lamp-1", "lamp-2", "meter-1"}) {
            sqliteLike.add(new Device(id, "iot#thing", "Thing " + id));
        }
        Map<String, Object> props = properties();
        props.put("deviceManager", "sqlite");
        props.put("deviceManagerWaitMillis", 300L);
        ConnectorClientComponent first = component(sqliteLike, "sqlite", 10);
        first.activate(context, props);
        Await.until("ready", () -> registered.get() != null && registered.get().isReady());
        String gid = registered.get().gatewayId();
        String hash = platform.gateway(gid).orElseThrow().hash();
        first.deactivate();

        InMemoryDeviceManager standIn = new InMemoryDeviceManager();
        standIn.add(new Device("meter-1", "iot#thing", "Thing meter-1")); // what the bundle adds at each start
        long before = syncRequests();
        try (LogCapture log = new LogCapture(DeviceSynchroniser.class)) {
            ConnectorClientComponent restarted = component(standIn, "memory", 0);
            restarted.bindOutbox(new InMemoryOutbox());
            restarted.activate(context, props);
            ConnectorClient client = registered.get();
            Await.until("ready with the stand-in", Duration.ofSeconds(10), client::isReady);
            assertEquals(gid, client.gatewayId());
            assertEquals(before, syncRequests(), "no clear, put or commit from the stand-in");
            assertEquals(hash, platform.gateway(gid).orElseThrow().hash());
            assertEquals(3, platform.gateway(gid).orElseThrow().devices().size());
            assertEquals(200, client.event("meter-1", "reading", "1", null).status(), "events go on");
            assertTrue(log.has(Level.WARNING, "'sqlite'", "is not there", "kept as it is"),
                    log.lines().toString());

            restarted.addDeviceManager(sqliteLike, service("sqlite", 10, DeviceManager.NAME)); // repaired, back
            Await.until("synchronised with it", () -> client.isReady() && sqliteLike.devices().size() == 3);
            assertEquals(hash, platform.gateway(gid).orElseThrow().hash(), "the lists agree");
            restarted.deactivate();
        }
    }

    @Test
    void anInvalidValueKeepsTheClientDownWithoutAnExceptionAndACorrectedOneBringsItUp() throws Exception {
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        ConnectorClientComponent component = component(devices, "memory", 0);
        Map<String, Object> bad = properties();
        bad.put("port", "eighty");
        bad.put(ConnectorClientComponent.FILE_PROPERTY, dataDir.resolve("org.sepl.connector.client.cfg").toUri().toString());
        component.activate(context, bad); // SCR would log a stack trace for an exception here: none
        assertNull(registered.get());
        component.deactivate();

        // Config Admin hands over the corrected configuration: SCR activates the component again
        ConnectorClientComponent again = component(devices, "memory", 0);
        again.activate(context, properties());
        Await.until("ready", () -> registered.get() != null && registered.get().isReady());
        again.deactivate();
    }
}
