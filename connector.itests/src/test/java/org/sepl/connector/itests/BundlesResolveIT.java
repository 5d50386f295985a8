package org.sepl.connector.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.inject.Inject;

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
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.transport.WebSocketTransport;

/**
 * The deployment a user makes resolves in plain Felix: every bundle of the runtime list (demo included) active, every
 * component in the state it must have before a client is configured. (The client component
 * waits for its configuration: {@link ConnectorClientIT} gives it one and checks it is active.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesResolveIT {

    private static final String CLIENT_PID = "org.sepl.connector.client";

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return options(Deployment.base(), Deployment.runtimeExcept());
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() != Bundle.ACTIVE && bundle.getHeaders().get("Fragment-Host") == null) {
                notActive.add(bundle.getSymbolicName() + " state=" + bundle.getState());
            }
        }
        assertEquals("bundles not active", List.of(), notActive);
    }

    @Test
    public void everyComponentBecomesActive() throws Exception {
        // The device managers are delayed components: SCR activates them on first use, so use each one.
        Collection<ServiceReference<DeviceManager>> managers = context.getServiceReferences(DeviceManager.class, null);
        assertEquals("device manager services (in-memory and SQLite)", 2, managers.size());
        for (ServiceReference<DeviceManager> reference : managers) {
            DeviceManager manager = context.getService(reference);
            assertNotNull("device manager from " + reference.getBundle().getSymbolicName(), manager);
            manager.devices();
        }
        // so are the outboxes (the SQLite one opens outbox.db in its bundle's data area)
        Collection<ServiceReference<Outbox>> outboxes = context.getServiceReferences(Outbox.class, null);
        assertEquals("outbox services (in-memory and SQLite)", 2, outboxes.size());
        for (ServiceReference<Outbox> reference : outboxes) {
            Outbox outbox = context.getService(reference);
            assertNotNull("outbox from " + reference.getBundle().getSymbolicName(), outbox);
            outbox.status();
        }

        // and the transports (delayed services too)
        Collection<ServiceReference<WebSocketTransport>> transports = context.getServiceReferences(
                WebSocketTransport.class, null);
        assertEquals("transport services (Tyrus and JDK)", 2, transports.size());
        for (ServiceReference<WebSocketTransport> reference : transports) {
            assertNotNull("transport from " + reference.getBundle().getSymbolicName(), context.getService(reference));
        }

        Map<String, String> states = new TreeMap<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            assertTrue(description.name + " is disabled", scr.isComponentEnabled(description));
            List<String> configurationStates = new ArrayList<>();
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                configurationStates.add(state(configuration));
            }
            states.put(description.name, configurationStates.isEmpty() ? "no instance" : String.join(",", configurationStates));
        }
        Map<String, String> expected = new TreeMap<>();
        expected.put("org.sepl.connector.store.memory", "active");
        expected.put("org.sepl.connector.store.sqlite", "active");
        expected.put("org.sepl.connector.store.memory.outbox", "active");
        expected.put("org.sepl.connector.store.sqlite.outbox", "active");
        expected.put("org.sepl.connector.transport.tyrus", "active");
        expected.put("org.sepl.connector.transport.jdk", "active");
        // the client's metatype, from its one list of settings: in use by the Metatype service
        expected.put("org.sepl.connector.impl.osgi.ClientMetaType", "active");
        // configuration policy REQUIRE: no client until a configuration exists (ConnectorClientIT gives it one)
        expected.put(CLIENT_PID, "no instance");
        // the shell's commands are a delayed service, used by the first shell command
        expected.put("org.sepl.connector.shell.SeplCommands", "satisfied");
        // monitoring: the MBeans and health checks follow the clients; the Prometheus endpoints are opt-in (a
        // configuration each), and the whiteboard servlet also waits for an HTTP Whiteboard
        expected.put("org.sepl.connector.monitoring.osgi.JmxComponent", "active");
        expected.put("org.sepl.connector.monitoring.osgi.MetricsHttpComponent", "no instance");
        expected.put("org.sepl.connector.monitoring.osgi.MetricsServletComponent", "no instance");
        expected.put("org.sepl.connector.health.ClientHealthChecks", "active");
        // the demo devices wait for a client
        expected.put("org.sepl.connector.demo.DemoLamp", "unsatisfied reference");
        expected.put("org.sepl.connector.demo.DemoMeter", "unsatisfied reference");
        assertEquals("component states", expected, states);
    }

    private static String state(ComponentConfigurationDTO configuration) {
        switch (configuration.state) {
        case ComponentConfigurationDTO.ACTIVE:
            return "active";
        case ComponentConfigurationDTO.SATISFIED:
            return "satisfied";
        case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
            return "waiting for configuration";
        case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
            return "unsatisfied reference";
        case ComponentConfigurationDTO.FAILED_ACTIVATION:
            return "failed: " + configuration.failure;
        default:
            return "state " + configuration.state;
        }
    }
}
