package org.sepl.connector.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Response;

/**
 * Each demo device is added, and announced in the log, once: the client calls a new {@code ConnectionListener}
 * at once when it is already ready, while the add the component made on activation is still unanswered.
 */
class DevicePublisherTest {

    private final List<String> announced = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                announced.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheLog() {
        Logger.getLogger(DevicePublisher.class.getName()).addHandler(capture);
    }

    @AfterEach
    void releaseTheLog() {
        Logger.getLogger(DevicePublisher.class.getName()).removeHandler(capture);
    }

    /** A client whose adds stay unanswered until the test answers them. */
    private static final class PendingAdds {
        final List<CompletableFuture<Response>> adds = new CopyOnWriteArrayList<>();
        final ConnectorClient client = (ConnectorClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { ConnectorClient.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "addAsync" -> {
                        CompletableFuture<Response> add = new CompletableFuture<>();
                        adds.add(add);
                        yield add;
                    }
                    case "defaultTimeout" -> Duration.ofSeconds(10);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void readyWhileTheFirstAddIsUnansweredAddsNothingMore() {
        PendingAdds platform = new PendingAdds();
        DevicePublisher publisher = new DevicePublisher(platform.client, DemoDevices.lamp());

        publisher.publish();            // the component activates
        publisher.publish();            // the client calls connected() at once: it is already ready
        assertEquals(1, platform.adds.size(), "one add in flight");

        platform.adds.get(0).complete(new Response(200, null, ""));
        publisher.publish();            // a later reconnect
        assertEquals(1, platform.adds.size(), "acknowledged: never added again");
        assertEquals(List.of("Device demo-lamp-1 (demo-lamp) published"), announced);
    }

    @Test
    void aFailedAddIsRepeatedAtTheNextConnect() {
        PendingAdds platform = new PendingAdds();
        DevicePublisher publisher = new DevicePublisher(platform.client, DemoDevices.lamp());

        publisher.publish();
        platform.adds.get(0).completeExceptionally(
                new ConnectorException(ConnectorException.Reason.NOT_CONNECTED, "not connected"));
        publisher.publish();
        assertEquals(2, platform.adds.size(), "added again after the failure");

        platform.adds.get(1).complete(new Response(200, null, ""));
        publisher.publish();
        assertEquals(2, platform.adds.size());
        assertEquals(List.of("Device demo-lamp-1 (demo-lamp) added: the client's synchronisation takes it to the "
                + "platform"), announced, "announced once, when the client said the synchronisation takes it");
    }
}
