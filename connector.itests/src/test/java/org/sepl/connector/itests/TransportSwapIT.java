package org.sepl.connector.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;

import org.junit.After;
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
import org.osgi.service.cm.ConfigurationAdmin;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;


/**
 * Transports are chosen like device managers, also while the client runs: stopping the Tyrus transport bundle while
 * events stream moves the client to the JDK transport, and starting it again moves it back (it ranks higher). Nothing
 * accepted is lost, the platform's device list is never without the device, and, the hashes matching, nothing is
 * synchronised again: no clear, put or commit after the first synchronisation. Without any transport the client
 * waits (accepting events into its outbox) and connects as soon as one starts, in whatever order the bundles come.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class TransportSwapIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String DEVICE = "swap-meter";
    private static final String SERVICE = "reading";
    private static final int EVENTS_PER_PHASE = 100;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private ClientConfigurations clients;
    private PlatformControl platform;

    @Configuration
    public Option[] config() {
        return options(Deployment.base(), PlatformBridge.start(),
                Deployment.runtimeExcept(Deployment.SQLITE_STORE, Deployment.DEMO));
    }

    @Before
    public void clientConfigurations() {
        clients = new ClientConfigurations(context, configurationAdmin, TIMEOUT);
    }

    @After
    public void removeClient() throws Exception {
        clients.deleteAll();
    }

    @Test
    public void stoppingAndStartingTheTyrusBundleMovesTheClientBetweenTransportsLosingAndResynchronisingNothing()
            throws Exception {
        ConnectorClient client = clients.ready(clients.configure(platform().port()));
        assertEquals(200, client.add(new Device(DEVICE, "iot#meter", "Meter")).status());
        String gatewayId = client.gatewayId();
        long handshakes = platform().requests("handshake");
        long syncRequests = syncRequests();

        DeviceWatch devices = new DeviceWatch(platform(), gatewayId, DEVICE);
        EventStream events = new EventStream(client, DEVICE, SERVICE);
        devices.start();
        events.start();
        Bundle tyrus = bundle("connector.transport.tyrus");
        try {
            Poll.until(EVENTS_PER_PHASE + " events over Tyrus", TIMEOUT,
                    () -> events.deliveries.size() >= EVENTS_PER_PHASE);

            tyrus.stop(); // its connection closes; the client moves to the JDK transport
            Poll.until("a new session over the JDK transport, ready", TIMEOUT,
                    () -> platform().requests("handshake") > handshakes && client.isReady());
            int sentBeforeStart = events.deliveries.size();
            Poll.until("events over the JDK transport", TIMEOUT,
                    () -> events.deliveries.size() >= sentBeforeStart + EVENTS_PER_PHASE);

            long handshakesOverJdk = platform().requests("handshake");
            tyrus.start(); // it ranks higher: the client moves back
            Poll.until("a new session over Tyrus again, ready", TIMEOUT,
                    () -> platform().requests("handshake") > handshakesOverJdk && client.isReady());
            int sentAfterReturn = events.deliveries.size();
            Poll.until("events over Tyrus again", TIMEOUT,
                    () -> events.deliveries.size() >= sentAfterReturn + EVENTS_PER_PHASE);
        } finally {
            events.stop();
            if (tyrus.getState() != Bundle.ACTIVE) {
                tyrus.start();
            }
        }

        List<Delivery> sent = events.deliveries;
        Poll.until("every event answered", TIMEOUT,
                () -> sent.stream().allMatch(d -> d.answered().toCompletableFuture().isDone()));
        devices.stop();
        for (Delivery d : sent) {
            assertEquals(200, d.answered().toCompletableFuture().join().status());
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < sent.size(); i++) {
            expected.add(Integer.toString(i));
        }
        Poll.until("every event on the platform", TIMEOUT, () -> platform().acceptedEventData(gatewayId), expected::equals);
        assertEquals("device lists seen on the platform that lacked " + DEVICE, List.of(), devices.lacking);
        assertEquals("clear, put and commit requests after the first synchronisation: the hashes matched",
                syncRequests, syncRequests());
    }

    @Test
    public void withoutATransportTheClientWaitsAndConnectsWhenOneStartsWhateverTheOrder() throws Exception {
        Bundle tyrus = bundle("connector.transport.tyrus");
        Bundle jdk = bundle("connector.transport.jdk");
        tyrus.stop();
        jdk.stop();
        try {
            String pid = clients.configure(platform().port());
            ConnectorClient client = Poll.until("the client service", TIMEOUT, () -> clients.client(pid), c -> c != null);
            Poll.until("it says why it waits", TIMEOUT, () -> client.status().lastError(),
                    e -> e != null && e.contains("no WebSocket transport"));
            assertEquals(ConnectionState.DISCONNECTED, client.state());
            Delivery early = client.sendEvent(DEVICE, SERVICE, "while waiting", null);
            early.stored().toCompletableFuture().get(); // accepted into the outbox meanwhile

            jdk.start(); // the lean one first, then the default: the client ends on Tyrus
            Poll.until("ready over the JDK transport", TIMEOUT, client::isReady);
            long handshakes = platform().requests("handshake");
            tyrus.start();
            Poll.until("moved to Tyrus, ready", TIMEOUT,
                    () -> platform().requests("handshake") > handshakes && client.isReady());
            assertTrue("the event accepted while waiting reached the platform (its answer: 400, the device is unknown)",
                    early.answered().toCompletableFuture().get().status() > 0);
        } finally {
            for (Bundle b : List.of(tyrus, jdk)) {
                if (b.getState() != Bundle.ACTIVE) {
                    b.start();
                }
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private long syncRequests() {
        return platform().requests("clear") + platform().requests("put") + platform().requests("commit");
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalStateException("no bundle " + symbolicName);
    }


    private PlatformControl platform() {
        if (platform == null) {
            platform = new PlatformControl();
        }
        return platform;
    }




}
