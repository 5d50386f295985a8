package org.sepl.connector.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.store.memory.InMemoryOutbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Outboxes are chosen like device managers, also while the client runs: a higher-ranked {@link Outbox} service takes
 * over the client's events, and when it goes the client falls back to the default one (connector.store.memory's
 * in-memory outbox, ranking 0), with a steady stream of events going on meanwhile. No accepted event is lost or
 * refused, and the swap reaches the platform as nothing but those events: its device list is never cleared.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OutboxSwapIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String DEVICE = "swap-meter";
    private static final String SERVICE = "reading";
    /** Each phase (default, better, default again) gets at least this many events. */
    private static final int EVENTS_PER_PHASE = 100;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private ClientConfigurations clients;
    private PlatformControl platform;

    @Configuration
    public Option[] config() {
        // without the SQLite store (ranking 10): the default outbox is connector.store.memory's
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
    public void aBetterOutboxTakesTheEventsOverAndUnregisteringItFallsBackLosingNone() throws Exception {
        ConnectorClient client = clients.ready(clients.configure(platform().port()));
        assertEquals(200, client.add(new Device(DEVICE, "iot#meter", "Meter")).status());
        String gatewayId = client.gatewayId();
        ServiceReference<Outbox> defaultReference = context.getServiceReference(Outbox.class);
        assertEquals("the default outbox", "connector.store.memory", defaultReference.getBundle().getSymbolicName());
        Outbox defaultOutbox = context.getService(defaultReference);

        DeviceWatch devices = new DeviceWatch(platform(), gatewayId, DEVICE);
        EventStream events = new EventStream(client, DEVICE, SERVICE);
        devices.start();
        events.start();
        InMemoryOutbox better = new InMemoryOutbox();
        try {
            Poll.until(EVENTS_PER_PHASE + " events through the default outbox", TIMEOUT,
                    () -> defaultOutbox.status().stored() >= EVENTS_PER_PHASE);

            Dictionary<String, Object> ranking = new Hashtable<>();
            ranking.put(Constants.SERVICE_RANKING, 100);
            ServiceRegistration<Outbox> registration = context.registerService(Outbox.class, better, ranking);
            Poll.until("events stored in and delivered from the better outbox", TIMEOUT,
                    () -> better.status().stored() >= EVENTS_PER_PHASE && better.status().delivered() > 0);
            long defaultBeforeFallback = defaultOutbox.status().stored();

            registration.unregister();
            Poll.until("events through the default outbox again", TIMEOUT,
                    () -> defaultOutbox.status().stored() >= defaultBeforeFallback + EVENTS_PER_PHASE);
            long betterAfterFallback = better.status().stored();
            int sentAfterFallback = events.deliveries.size();
            Poll.until("more events after the fallback", TIMEOUT,
                    () -> events.deliveries.size() >= sentAfterFallback + EVENTS_PER_PHASE);
            assertEquals("nothing more stored in the unregistered outbox", betterAfterFallback, better.status().stored());
        } finally {
            events.stop();
        }

        List<Delivery> sent = events.deliveries;
        Poll.until("every event answered", TIMEOUT,
                () -> sent.stream().allMatch(d -> d.answered().toCompletableFuture().isDone()));
        devices.stop();
        for (Delivery d : sent) {
            CompletableFuture<Response> answer = d.answered().toCompletableFuture();
            assertTrue("answered, not failed: " + answer, !answer.isCompletedExceptionally());
            assertEquals(200, answer.join().status());
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < sent.size(); i++) {
            expected.add(Integer.toString(i));
        }
        Poll.until("every event on the platform", TIMEOUT, () -> platform().acceptedEventData(gatewayId), expected::equals);
        assertEquals("the platform's events of the gateway are the test's, nothing of the swap",
                List.of(), foreignEvents(gatewayId));
        assertEquals("device lists seen on the platform that lacked " + DEVICE, List.of(), devices.lacking);
        assertTrue("the client is still ready", client.isReady());
        better.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------


    /** Events of the gateway that the test did not send (another device or service, or a refused one). */
    private List<JsonObject> foreignEvents(String gatewayId) {
        List<JsonObject> foreign = new ArrayList<>();
        for (JsonElement e : platform().events()) {
            JsonObject event = e.getAsJsonObject();
            if (gatewayId.equals(event.get("gatewayId").getAsString())
                    && !(DEVICE.equals(event.get("deviceUri").getAsString())
                            && SERVICE.equals(event.get("serviceUri").getAsString())
                            && event.get("status").getAsInt() == 200)) {
                foreign.add(event);
            }
        }
        return foreign;
    }

    private PlatformControl platform() {
        if (platform == null) {
            platform = new PlatformControl();
        }
        return platform;
    }




}
