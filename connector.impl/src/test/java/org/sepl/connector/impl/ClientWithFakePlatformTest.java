package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Behaviour a real endpoint would not provoke: malformed frames, silence, a full window. */
class ClientWithFakePlatformTest {

    private final FakeTransport platform = new FakeTransport();
    private DefaultConnectorClient client;

    @BeforeEach
    void connect() throws Exception {
        connect(platform.client("alice", "secret"));
    }

    private void connect(ConnectorClientBuilder builder) throws Exception {
        client = builder.commandHandler(command -> CommandResult.of("done"), Map.of(CommandHandler.SERVICE, "handled"))
                .start();
        platform.acceptHandshake(Device.EMPTY_GATEWAY_HASH);
        Await.until("ready", client::isReady);
    }

    /** The test's client again, with the outbox disabled. */
    private void reconnectWithoutOutbox() throws Exception {
        client.close();
        connect(platform.client("alice", "secret").outboxDisabled());
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void credentialsFrameIsThePlainObjectOfTheProtocol() throws Exception {
        FakeTransport other = new FakeTransport();
        try (DefaultConnectorClient c = other.client("bob", "pw\"1").gatewayIdStore(GatewayIdStore.inMemory("gw-7"))
                .start()) {
            assertEquals(JsonParser.parseString("{\"user\":\"bob\",\"pw\":\"pw\\\"1\",\"gid\":\"gw-7\",\"token\":\"credentials\"}"),
                    other.next());
        }
    }

    @Test
    void malformedAndUnexpectedFramesAreSurvived() throws Exception {
        platform.deliver("not json at all");
        platform.deliver("[1,2,3]");
        platform.deliver("{}");
        platform.deliver("{\"handler\":\"command\",\"payload\":5}");
        platform.deliver("{\"handler\":\"command\",\"payload\":{\"device_url\":7}}");
        platform.deliver("{\"status\":200,\"handler\":\"response\",\"token\":\"nobody-asked\",\"payload\":\"ok\"}");
        platform.deliver("{\"status\":400,\"handler\":\"response\",\"token\":\"\",\"payload\":\"bad frame\"}");

        CompletableFuture<Response> event = client.eventAsync("d", "s", "1", null).toCompletableFuture();
        platform.answer(platform.next(), 200, "\"ok\"");
        assertEquals(200, event.get(5, TimeUnit.SECONDS).status());
        assertEquals(ConnectionState.READY, client.state());
    }

    @Test
    void eventFrameCarriesMetadataThenData() throws Exception {
        client.eventAsync("meter-1", "reading", "{\"kwh\":1.5}", null);
        JsonObject frame = platform.next();
        assertEquals("event", frame.get("handler").getAsString());
        assertEquals(JsonParser.parseString("{\"device_uri\":\"meter-1\",\"service_uri\":\"reading\",\"value\":"
                + "[{\"name\":\"metadata\",\"value\":null},{\"name\":\"data\",\"value\":\"{\\\"kwh\\\":1.5}\"}]}"),
                frame.get("payload"));
    }

    @Test
    void unansweredRequestTimesOutAndFreesItsSlot() {
        CompletableFuture<Response> event = client.eventAsync("d", "s", "1", null, Duration.ofMillis(100)).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> event.get(5, TimeUnit.SECONDS));
        assertEquals(Reason.TIMEOUT, assertInstanceOf(ConnectorException.class, e.getCause()).reason());
        Await.until("slot freed", () -> client.status().requestsInFlight() == 0);
    }

    @Test
    void withoutOutboxAFullWindowFailsAtOnceWithNotSentWindowFull() throws Exception {
        reconnectWithoutOutbox();
        client.eventAsync("d", "s", "1", null);
        client.eventAsync("d", "s", "2", null);
        platform.next();
        platform.next();
        CompletableFuture<Response> third = client.eventAsync("d", "s", "3", null, Duration.ofSeconds(30)).toCompletableFuture();
        // failed at once: the caller's stage completes on the callback lane, well within a second
        ExecutionException e = assertThrows(ExecutionException.class, () -> third.get(1, TimeUnit.SECONDS));
        ConnectorException ce = assertInstanceOf(ConnectorException.class, e.getCause());
        assertEquals(Reason.WINDOW_FULL, ce.reason());
        assertTrue(ce.getMessage().contains("not sent: window full"), ce.getMessage());
        assertTrue(platform.sent.isEmpty(), "nothing was sent for it");
        assertEquals(2, client.status().requestsInFlight());
    }

    @Test
    void commandAnswerKeepsEveryFieldExactly() throws Exception {
        long now = java.time.Instant.now().getEpochSecond(); // an old "time" would make the command stale
        platform.deliver("{\"status\":0,\"handler\":\"command\",\"token\":\"\",\"content_type\":\"map\",\"payload\":"
                + "{\"worker_id\":\"w\",\"task_id\":\"t-1\",\"device_url\":\"lamp\",\"service_url\":\"handled\","
                + "\"protocol_parts\":[{\"name\":\"data\",\"value\":\"x\"}],\"time\":" + now + ",\"ratio\":0.10,"
                + "\"nested\":{\"a\":[1,2.50,null]},\"x_unknown\":true}}");
        JsonObject answer = platform.next();
        assertEquals("response", answer.get("handler").getAsString());
        String text = answer.get("payload").toString();
        assertTrue(text.contains("\"time\":" + now), text);
        assertTrue(text.contains("\"ratio\":0.10"), text);
        assertTrue(text.contains("\"nested\":{\"a\":[1,2.50,null]}"), text);
        assertEquals(JsonParser.parseString("[{\"name\":\"metadata\",\"value\":null},{\"name\":\"data\",\"value\":\"done\"}]"),
                answer.getAsJsonObject("payload").get("protocol_parts"));
        assertEquals(List.of("worker_id", "task_id", "device_url", "service_url", "protocol_parts", "time", "ratio",
                "nested", "x_unknown"), List.copyOf(answer.getAsJsonObject("payload").keySet()));
    }

    @Test
    void aCommandWithAStringStatusIsStillHandledAndAnswered() throws Exception {
        // the old codec threw a NullPointerException on this and the command vanished without a trace
        platform.deliver("{\"status\":\"0\",\"handler\":\"command\",\"token\":null,\"payload\":{\"task_id\":\"t-9\","
                + "\"device_url\":\"lamp\",\"service_url\":\"handled\",\"protocol_parts\":null}}");
        JsonObject answer = platform.next();
        assertEquals("response", answer.get("handler").getAsString());
        assertEquals("t-9", answer.getAsJsonObject("payload").get("task_id").getAsString());
    }

    @Test
    void unclaimedCommandGoesToReceive() throws Exception {
        platform.deliver("{\"status\":0,\"handler\":\"command\",\"token\":\"\",\"payload\":{\"task_id\":\"t-2\","
                + "\"device_url\":\"lamp\",\"service_url\":\"other\",\"protocol_parts\":null}}");
        assertEquals("t-2", client.receive(Duration.ofSeconds(5)).orElseThrow().taskId());
    }

    @Test
    void withoutOutboxConnectionLossFailsPendingRequestsAndReconnects() throws Exception {
        reconnectWithoutOutbox();
        CompletableFuture<Response> event = client.eventAsync("d", "s", "1", null).toCompletableFuture();
        platform.next();
        platform.drop();
        ExecutionException e = assertThrows(ExecutionException.class, () -> event.get(5, TimeUnit.SECONDS));
        assertEquals(Reason.CONNECTION_LOST, ((ConnectorException) e.getCause()).reason());
        platform.acceptHandshake(Device.EMPTY_GATEWAY_HASH);
        Await.until("ready again", client::isReady);
    }
}
