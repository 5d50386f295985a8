package org.sepl.connector.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;

/**
 * Bundle lifecycle in a plain Felix: whatever order the demo devices and the SQLite store start in, the platform
 * ends with the same devices, and they never vanish on the way; stopping the bundles as a framework shutdown does
 * leaves the platform's devices as they were; two factory configurations give two connected gateways, however they
 * are made (Config Admin, FileInstall's and Karaf's named ones, the Web Console's).
 * <p>
 * A fresh framework (and SQLite database) per test: the order of installation is what each test is about.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LifecycleIT {

    private static final Set<String> DEMO_DEVICES = Set.of("demo-meter-1", "demo-lamp-1");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private PlatformControl platform;
    private ClientConfigurations clients;
    /** The PID of the client configuration the test made last. */
    private String lastPid;

    @Configuration
    public Option[] config() {
        // the demo and the SQLite store are installed by the tests, in the order each test is about
        return options(Deployment.base(), PlatformBridge.start(),
                Deployment.runtimeExcept(Deployment.SQLITE_STORE, Deployment.DEMO));
    }

    @Before
    public void clientConfigurations() {
        clients = new ClientConfigurations(context, configurationAdmin, TIMEOUT);
    }

    @Test
    public void sqliteStoreThenDemoGivesTheDemoDevices() throws Exception {
        String gatewayId = clients.ready(configure(PlatformBridge.USER, PlatformBridge.PASSWORD)).gatewayId();
        start(Deployment.SQLITE_STORE);
        start(Deployment.DEMO);
        awaitPlatformDevices(gatewayId, DEMO_DEVICES);
        assertEquals("devices of the SQLite store", DEMO_DEVICES, ids(deviceManagerInUse()));
    }

    @Test
    public void demoThenSqliteStoreGivesTheSameDevicesAndNoneVanishes() throws Exception {
        String gatewayId = clients.ready(configure(PlatformBridge.USER, PlatformBridge.PASSWORD)).gatewayId();
        start(Deployment.DEMO);
        awaitPlatformDevices(gatewayId, DEMO_DEVICES);

        List<Set<String>> vanished = watchWhile(gatewayId, () -> {
            start(Deployment.SQLITE_STORE);
            Poll.until("the SQLite store in use, holding the demo devices", TIMEOUT,
                    () -> Deployment.SQLITE_STORE.equals(deviceManagerBundle())
                            && ids(deviceManagerInUse()).equals(DEMO_DEVICES));
            clients.ready(lastPid);
        });

        assertEquals("device lists seen on the platform that lacked a demo device", List.of(), vanished);
        awaitPlatformDevices(gatewayId, DEMO_DEVICES);
    }

    @Test
    public void stoppingTheBundlesAsAFrameworkShutdownDoesLeavesThePlatformsDevices() throws Exception {
        String gatewayId = clients.ready(configure(PlatformBridge.USER, PlatformBridge.PASSWORD)).gatewayId();
        start(Deployment.SQLITE_STORE);
        start(Deployment.DEMO);
        awaitPlatformDevices(gatewayId, DEMO_DEVICES);

        // Felix stops bundles in reverse order of installation (same start level) when the framework stops.
        List<Bundle> runtime = new ArrayList<>();
        Set<String> names = Deployment.runtime().stream().map(Deployment.RuntimeBundle::artifactId)
                .collect(Collectors.toSet());
        for (Bundle bundle : context.getBundles()) {
            if (names.contains(bundle.getSymbolicName()) || bundle.getSymbolicName().startsWith("org.apache.felix.scr")) {
                runtime.add(bundle);
            }
        }
        runtime.sort(Comparator.comparingLong(Bundle::getBundleId).reversed());
        List<Set<String>> vanished = watchWhile(gatewayId, () -> {
            for (Bundle bundle : runtime) {
                bundle.stop();
            }
        });

        assertEquals("device lists seen on the platform that lacked a demo device", List.of(), vanished);
        assertEquals(DEMO_DEVICES, new HashSet<>(platform().devicesOf(gatewayId)));
    }

    @Test
    public void twoFactoryConfigurationsGiveTwoConnectedGateways() throws Exception {
        ConnectorClient alice = clients.ready(configure(PlatformBridge.USER, PlatformBridge.PASSWORD));
        ConnectorClient bob = clients.ready(configure(PlatformBridge.OTHER_USER, PlatformBridge.OTHER_PASSWORD));

        assertTrue("two gateways", !alice.gatewayId().equals(bob.gatewayId()));
        assertEquals(PlatformBridge.USER, platform().ownerOf(alice.gatewayId()).orElse(null));
        assertEquals(PlatformBridge.OTHER_USER, platform().ownerOf(bob.gatewayId()).orElse(null));
        assertTrue("both ready", alice.isReady() && bob.isReady());
    }

    @Test
    public void factoryConfigurationsMadeAsFileInstallKarafAndTheWebConsoleMakeThemGiveOneClientEach() throws Exception {
        // conf/org.sepl.connector.client-home.cfg (FileInstall, Karaf's etc/): a named factory configuration
        org.osgi.service.cm.Configuration home = configurationAdmin.getFactoryConfiguration(
                ClientConfigurations.CLIENT_PID, "home", "?");
        home.update(ClientConfigurations.properties(PlatformBridge.USER, PlatformBridge.PASSWORD, platform().port()));
        // the Web Console's "+" on the factory entry of the metatype
        org.osgi.service.cm.Configuration console = configurationAdmin.createFactoryConfiguration(
                ClientConfigurations.CLIENT_PID, null);
        console.update(ClientConfigurations.properties(PlatformBridge.OTHER_USER, PlatformBridge.OTHER_PASSWORD,
                platform().port()));

        ConnectorClient alice = clients.ready(home.getPid());
        ConnectorClient bob = clients.ready(console.getPid());
        assertEquals(ClientConfigurations.CLIENT_PID + "~home", home.getPid());
        assertTrue("two gateways", !alice.gatewayId().equals(bob.gatewayId()));
        assertEquals(PlatformBridge.USER, platform().ownerOf(alice.gatewayId()).orElse(null));
        assertEquals(PlatformBridge.OTHER_USER, platform().ownerOf(bob.gatewayId()).orElse(null));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------


    private interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} while watching the platform's devices of {@code gatewayId}; returns lists lacking one. */
    private List<Set<String>> watchWhile(String gatewayId, Action action) throws Exception {
        List<Set<String>> vanished = new CopyOnWriteArrayList<>();
        Thread watch = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Set<String> now = new HashSet<>(platform().devicesOf(gatewayId));
                if (!now.containsAll(DEMO_DEVICES)) {
                    vanished.add(now);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "itest-device-watch");
        watch.start();
        try {
            action.run();
            // a sync caused by the action may still be on its way: watch until the platform is stable again
            Poll.until("the platform's devices stable", TIMEOUT, new Stable(gatewayId), s -> s != null);
        } finally {
            watch.interrupt();
            watch.join();
        }
        return vanished;
    }

    /** The device list once three polls in a row agree. */
    private final class Stable implements java.util.function.Supplier<Set<String>> {
        private final String gatewayId;
        private Set<String> previous;
        private int same;

        Stable(String gatewayId) {
            this.gatewayId = gatewayId;
        }

        @Override
        public Set<String> get() {
            Set<String> now = new HashSet<>(platform().devicesOf(gatewayId));
            same = now.equals(previous) ? same + 1 : 0;
            previous = now;
            return same >= 3 ? now : null;
        }
    }

    private PlatformControl platform() {
        if (platform == null) {
            platform = new PlatformControl();
        }
        return platform;
    }

    private void start(String artifactId) throws Exception {
        context.installBundle(Deployment.bundleFile(artifactId).toURI().toString()).start();
    }

    private String configure(String user, String password) throws Exception {
        lastPid = clients.configure(user, password, platform().port());
        return lastPid;
    }




    private DeviceManager deviceManagerInUse() {
        ServiceReference<DeviceManager> reference = context.getServiceReference(DeviceManager.class);
        return reference == null ? null : context.getService(reference);
    }

    private String deviceManagerBundle() {
        ServiceReference<DeviceManager> reference = context.getServiceReference(DeviceManager.class);
        return reference == null ? null : reference.getBundle().getSymbolicName();
    }

    private void awaitPlatformDevices(String gatewayId, Set<String> expected) throws InterruptedException {
        Poll.until("the platform's gateway to hold exactly " + expected, TIMEOUT,
                () -> new HashSet<>(platform().devicesOf(gatewayId)), expected::equals);
    }

    private static Set<String> ids(DeviceManager manager) {
        return manager.devices().stream().map(Device::id).collect(Collectors.toSet());
    }
}
