package org.sepl.connector.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * The DS component driven as SCR drives it, without a framework: a shutdown (deactivate, then the references
 * unbound) and a device-manager swap never change what the platform knows; bad values are named.
 */
class ComponentLifecycleTest {

    private PlatformEmulator platform;
    private Path dataDir;
    private final AtomicReference<ConnectorClient> registered = new AtomicReference<>();
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getDataFile" -> new File(dataDir.toFile(), (String) args[0]);
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

    private static ClientConfiguration configuration(Map<String, Object> values) {
        return (ClientConfiguration) Proxy.newProxyInstance(ClientConfiguration.class.getClassLoader(),
                new Class<?>[] {ClientConfiguration.class}, (proxy, method, args) -> {
                    String key = method.getName().startsWith("_") ? "." + method.getName().substring(1) : method.getName();
                    Object v = values.get(key);
                    if (v == null) {
                        return method.getDefaultValue();
                    }
                    return method.getReturnType() == long.class ? ((Number) v).longValue() : v;
                });
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void shutdownAndSwapsNeverChangeThePlatformsDevices() throws Exception {
        InMemoryDeviceManager sqliteLike = new InMemoryDeviceManager();
        sqliteLike.add(new Device("lamp-1", "iot#lamp", "Lamp"));
        sqliteLike.add(new Device("meter-1", "iot#meter", "Meter"));
        ConnectorClientComponent component = new ConnectorClientComponent();
        component.bindDeviceManager(sqliteLike);
        Map<String, Object> props = properties();
        component.activate(context, configuration(props), props);
        await("ready", () -> registered.get() != null && registered.get().isReady());
        String gid = registered.get().gatewayId();
        String hash = platform.gateway(gid).orElseThrow().hash();
        assertEquals(Device.gatewayHash(sqliteLike.devices()), hash);

        // the persistent store stops first: DS binds the (empty) in-memory fallback, then unbinds the store
        InMemoryDeviceManager fallback = new InMemoryDeviceManager();
        component.bindDeviceManager(fallback);
        component.unbindDeviceManager(sqliteLike);
        await("ready after the swap", () -> registered.get().isReady());
        assertEquals(2, fallback.devices().size(), "the devices were handed over");
        assertEquals(hash, platform.gateway(gid).orElseThrow().hash());

        // framework shutdown: deactivate, then every reference is unbound
        long clears = platform.requestCount("clear");
        long commits = platform.requestCount("commit");
        component.deactivate();
        component.bindDeviceManager(new InMemoryDeviceManager());
        component.unbindDeviceManager(fallback);
        assertEquals(clears, platform.requestCount("clear"));
        assertEquals(commits, platform.requestCount("commit"));
        assertEquals(hash, platform.gateway(gid).orElseThrow().hash());
        assertEquals(2, platform.gateway(gid).orElseThrow().devices().size());
    }

    @Test
    void anInvalidValueKeepsTheClientDownAndACorrectedOneBringsItUp() throws Exception {
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        ConnectorClientComponent component = new ConnectorClientComponent();
        component.bindDeviceManager(devices);
        Map<String, Object> bad = properties();
        bad.put("port", "eighty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> component.activate(context, configuration(Map.of()), bad));
        assertTrue(e.getMessage().contains("org.sepl.connector.client") && e.getMessage().contains("'port' = \"eighty\""),
                e.getMessage());
        assertEquals(null, registered.get());

        // Config Admin hands over the corrected configuration: SCR activates the component again
        Map<String, Object> good = properties();
        ConnectorClientComponent again = new ConnectorClientComponent();
        again.bindDeviceManager(devices);
        again.activate(context, configuration(good), good);
        await("ready", () -> registered.get() != null && registered.get().isReady());
        again.deactivate();
    }
}
