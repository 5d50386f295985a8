package org.sepl.connector.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/** One test per rule of docs/PROTOCOL.md, with a bare WebSocket client playing the gateway. */
class ProtocolTest {

    private PlatformEmulator platform;

    @BeforeEach
    void start() throws Exception {
        platform = PlatformEmulator.builder().user("alice", "secret").user("bob", "hunter2").start();
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    private TestGateway alice() throws Exception {
        return TestGateway.handshake(platform, "alice", "secret", "");
    }

    static Map<String, Object> device(String uri, String name, String type, String... tags) {
        return Map.of("uri", uri, "name", name, "iot_type", type, "tags", List.of(tags));
    }

    static JsonObject event(String device, String service, String data, String metadata) {
        JsonObject p = new JsonObject();
        p.addProperty("device_uri", device);
        p.addProperty("service_uri", service);
        JsonArray value = new JsonArray();
        JsonObject m = new JsonObject();
        m.addProperty("name", "metadata");
        m.add("value", metadata == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(metadata));
        JsonObject d = new JsonObject();
        d.addProperty("name", "data");
        d.addProperty("value", data);
        value.add(m);
        value.add(d);
        p.add("value", value);
        return p;
    }

    private PlatformEmulator.Device onPlatform(String gid, String uri) {
        return platform.gateway(gid).orElseThrow().devices().stream().filter(d -> d.uri().equals(uri)).findFirst()
                .orElse(null);
    }

    // ---- handshake ------------------------------------------------------------------------------------------

    @Test
    void handshakeWithEmptyGidCreatesAGatewayAndEchoesTheToken() throws Exception {
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("alice", "secret", "");
            JsonObject answer = g.next();
            assertEquals(200, answer.get("status").getAsInt());
            assertEquals("response", answer.get("handler").getAsString());
            assertEquals("credentials", answer.get("token").getAsString());
            assertEquals("map", answer.get("content_type").getAsString());
            String gid = answer.getAsJsonObject("payload").get("gid").getAsString();
            assertFalse(gid.isEmpty());
            assertEquals("", answer.getAsJsonObject("payload").get("hash").getAsString());
            assertEquals("alice", platform.gateway(gid).orElseThrow().user());
        }
    }

    @Test
    void handshakeWithAnUnknownGidCreatesANewGateway() throws Exception {
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("alice", "secret", "no-such-gateway");
            String gid = g.next().getAsJsonObject("payload").get("gid").getAsString();
            assertNotEquals("no-such-gateway", gid);
        }
    }

    @Test
    void knownGidGetsItsCommittedHashAndItsDevicesListenedToAgain() throws Exception {
        String gid;
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("alice", "secret", "");
            gid = g.next().getAsJsonObject("payload").get("gid").getAsString();
            assertEquals(200, g.status("put", device("lamp", "Lamp", "iot#lamp")));
            assertEquals(200, g.status("commit", "hash-1"));
        }
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("alice", "secret", gid);
            JsonObject payload = g.next().getAsJsonObject("payload");
            assertEquals(gid, payload.get("gid").getAsString());
            assertEquals("hash-1", payload.get("hash").getAsString());
            // no put on this connection: the commit restored listening
            assertEquals(200, g.status("event", event("lamp", "on", "1", null)));
        }
    }

    @Test
    void aCommitBindsExactlyWhatTheConnectionListensToAlsoAfterChangesAndOtherConnectionsCommits() throws Exception {
        String gid;
        try (TestGateway a = new TestGateway(platform.uri())) {
            a.sendCredentials("alice", "secret", "");
            gid = a.next().getAsJsonObject("payload").get("gid").getAsString();
            assertEquals(200, a.status("put", device("lamp", "Lamp", "iot#lamp")));
            assertEquals(200, a.status("put", device("plug", "Plug", "iot#lamp")));
            assertEquals(200, a.status("commit", "h1"));
            assertEquals(200, a.status("disconnect", "lamp")); // changes after a commit: applied incrementally
            assertEquals(200, a.status("put", device("fan", "Fan", "iot#lamp")));
            assertEquals(200, a.status("commit", "h2"));
            try (TestGateway b = new TestGateway(platform.uri())) {
                b.sendCredentials("alice", "secret", gid);
                b.next();
                assertEquals(200, b.status("put", device("heater", "Heater", "iot#lamp")));
                assertEquals(200, b.status("commit", "h3")); // {plug, fan, heater}
            }
            // b's commit came between: a's next commit must still bind exactly what a listens to
            assertEquals(200, a.status("disconnect", "plug"));
            assertEquals(200, a.status("commit", "h4"));
        }
        try (TestGateway c = new TestGateway(platform.uri())) {
            c.sendCredentials("alice", "secret", gid);
            assertEquals("h4", c.next().getAsJsonObject("payload").get("hash").getAsString());
            assertEquals(200, c.status("event", event("fan", "on", "1", null)));
            assertEquals(400, c.status("event", event("plug", "on", "1", null)));
            assertEquals(400, c.status("event", event("lamp", "on", "1", null)));
            assertEquals(400, c.status("event", event("heater", "on", "1", null)));
        }
    }

    @Test
    void anotherUsersGidIsNotHandedOut() throws Exception {
        String aliceGid;
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("alice", "secret", "");
            aliceGid = g.next().getAsJsonObject("payload").get("gid").getAsString();
        }
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("bob", "hunter2", aliceGid);
            assertNotEquals(aliceGid, g.next().getAsJsonObject("payload").get("gid").getAsString());
        }
    }

    @Test
    void wrongPasswordDropsTheConnectionWithoutReplyOrCloseFrame() throws Exception {
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("alice", "wrong", "");
            assertEquals(1006, g.awaitClosed());
            assertNull(g.poll(Duration.ofMillis(50)));
        }
        assertEquals(1, platform.requestCount("handshake"));
    }

    @Test
    void unknownUserAndGarbageCredentialsAreDroppedToo() throws Exception {
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("mallory", "secret", "");
            assertEquals(1006, g.awaitClosed());
        }
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.send("hello");
            assertEquals(1006, g.awaitClosed());
        }
    }

    // ---- device requests ------------------------------------------------------------------------------------

    @Test
    void putCreatesThenUpdatesNameAndMergesTagsButNeverTheType() throws Exception {
        try (TestGateway g = alice()) {
            String gid = platform.gateways().get(0).id();
            assertEquals(200, g.status("put", device("lamp", "Lamp", "iot#lamp", "room:kitchen", "floor:1")));
            assertEquals(200, g.status("put", device("lamp", "Big lamp", "iot#other", "room:hall")));
            PlatformEmulator.Device lamp = onPlatform(gid, "lamp");
            assertEquals("Big lamp", lamp.name());
            assertEquals("iot#lamp", lamp.iotType());
            assertEquals(List.of("room:hall", "floor:1"), lamp.tags(), "removed tags stay, the gateway's win per key");
            assertTrue(lamp.connected());
        }
    }

    @Test
    void putWithoutUriOrTypeOrWithABadTagIs400() throws Exception {
        try (TestGateway g = alice()) {
            assertEquals(400, g.status("put", Map.of("name", "x", "iot_type", "t")));
            assertEquals(400, g.status("put", Map.of("uri", "x", "name", "x")));
            assertEquals(400, g.status("put", device("x", "x", "t", "no-colon")));
            assertEquals(400, g.status("put", "not an object"));
        }
    }

    @Test
    void disconnectKeepsTheDeviceShownAsDisconnected() throws Exception {
        try (TestGateway g = alice()) {
            String gid = platform.gateways().get(0).id();
            g.status("put", device("lamp", "Lamp", "iot#lamp"));
            assertEquals(200, g.status("disconnect", "lamp"));
            assertFalse(onPlatform(gid, "lamp").connected());
            assertEquals(400, g.status("event", event("lamp", "on", "1", null)), "no longer listened to");
        }
    }

    @Test
    void disconnectOfADeviceNotListenedToIs500() throws Exception {
        try (TestGateway g = alice()) {
            assertEquals(500, g.status("disconnect", "ghost"));
        }
    }

    @Test
    void deleteRemovesTheDeviceAndUnknownDevicesAre500() throws Exception {
        try (TestGateway g = alice()) {
            String gid = platform.gateways().get(0).id();
            g.status("put", device("lamp", "Lamp", "iot#lamp"));
            assertEquals(200, g.status("delete", "lamp"));
            assertNull(onPlatform(gid, "lamp"));
            assertEquals(500, g.status("delete", "lamp"));
        }
    }

    @Test
    void clearForgetsDevicesAndHash() throws Exception {
        try (TestGateway g = alice()) {
            String gid = platform.gateways().get(0).id();
            g.status("put", device("lamp", "Lamp", "iot#lamp"));
            g.status("commit", "h");
            assertEquals(200, g.status("clear", null));
            assertEquals("", platform.gateway(gid).orElseThrow().hash());
            assertEquals(List.of(), platform.gateway(gid).orElseThrow().devices());
            assertEquals(400, g.status("event", event("lamp", "on", "1", null)));
        }
    }

    @Test
    void commitNeedsAStringPayload() throws Exception {
        try (TestGateway g = alice()) {
            assertEquals(400, g.status("commit", Map.of("hash", "x")));
            assertEquals(200, g.status("commit", "abc"));
            assertEquals("abc", platform.gateways().get(0).hash());
        }
    }

    @Test
    void eventsOfListenedDevicesAreAcceptedOthersRefusedAndAllRecordedInOrder() throws Exception {
        try (TestGateway g = alice()) {
            g.status("put", device("meter", "Meter", "iot#meter"));
            assertEquals(200, g.status("event", event("meter", "reading", "{\"kwh\":1}", "m")));
            assertEquals(400, g.status("event", event("ghost", "reading", "2", null)));
            List<PlatformEmulator.Event> events = platform.events();
            assertEquals(2, events.size());
            assertEquals(new PlatformEmulator.Event(platform.gateways().get(0).id(), "meter", "reading", "{\"kwh\":1}", "m", 200),
                    events.get(0));
            assertEquals(400, events.get(1).status());
        }
    }

    // ---- envelopes ------------------------------------------------------------------------------------------

    @Test
    void unknownHandlerIs400WithTheToken() throws Exception {
        try (TestGateway g = alice()) {
            JsonObject answer = g.call("fly", null);
            assertEquals(400, answer.get("status").getAsInt());
            assertEquals("string", answer.get("content_type").getAsString());
        }
    }

    @Test
    void aFrameThatIsNotJsonIsAnsweredTwiceWith400AndAnEmptyToken() throws Exception {
        try (TestGateway g = alice()) {
            g.send("this is not json {");
            for (int i = 0; i < 2; i++) {
                JsonObject answer = g.next();
                assertEquals(400, answer.get("status").getAsInt());
                assertEquals("", answer.get("token").getAsString());
            }
            assertEquals(200, g.status("commit", "still open"));
        }
    }

    @Test
    void theOriginalClientsEnvelopeWithExtraFieldsIsUnderstood() throws Exception {
        try (TestGateway g = alice()) {
            g.send("{\"status\":0,\"handler\":\"commit\",\"token\":\"x1\",\"content_type\":\"\",\"payload\":\"h\"}");
            JsonObject answer = g.next();
            assertEquals("x1", answer.get("token").getAsString());
            assertEquals(200, answer.get("status").getAsInt());
        }
    }

    @Test
    void moreThanFiveConsecutiveErrorsCloseTheSessionAndASuccessResetsTheCount() throws Exception {
        try (TestGateway g = alice()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(400, g.status("fly", null));
            }
            assertEquals(200, g.status("commit", "reset the count"));
            for (int i = 0; i < 5; i++) {
                assertEquals(400, g.status("fly", null));
            }
            assertFalse(g.closed.isDone());
            assertEquals(400, g.status("fly", null));
            assertNotEquals(1006, g.awaitClosed(), "closed with a close frame");
        }
    }

    @Test
    void requestsOfOneConnectionAreAnsweredInOrder() throws Exception {
        try (TestGateway g = alice()) {
            g.status("put", device("meter", "Meter", "iot#meter"));
            List<String> tokens = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++) {
                tokens.add(g.request("event", event("meter", "reading", Integer.toString(i), null)));
            }
            for (String token : tokens) {
                JsonObject answer = g.next();
                assertEquals(token, answer.get("token").getAsString());
                assertEquals(200, answer.get("status").getAsInt());
            }
            assertEquals("499", platform.events().get(499).data());
        }
    }

    // ---- commands -------------------------------------------------------------------------------------------

    @Test
    void aCommandGoesToEveryListeningConnectionAndTheFirstAnswerCompletesIt() throws Exception {
        try (TestGateway first = alice()) {
            first.status("put", device("lamp", "Lamp", "iot#lamp"));
            first.status("commit", "h");
            String gid = platform.gateways().get(0).id();
            try (TestGateway second = TestGateway.handshake(platform, "alice", "secret", gid)) {
                CompletableFuture<PlatformEmulator.CommandResponse> answer = platform.sendCommand("lamp", "set_on", "{\"on\":true}", null);
                JsonObject c1 = first.next();
                JsonObject c2 = second.next();
                assertEquals("command", c1.get("handler").getAsString());
                JsonObject payload = c1.getAsJsonObject("payload");
                assertEquals(payload, c2.getAsJsonObject("payload"));
                assertEquals("lamp", payload.get("device_url").getAsString());
                assertEquals("set_on", payload.get("service_url").getAsString());
                assertEquals("{\"on\":true}", payload.getAsJsonArray("protocol_parts").get(1).getAsJsonObject().get("value").getAsString());

                JsonObject response = payload.deepCopy();
                response.add("protocol_parts", event("lamp", "x", "{\"on\":true}", null).get("value"));
                assertEquals(200, second.status("response", response));
                PlatformEmulator.CommandResponse r = answer.get(5, TimeUnit.SECONDS);
                assertEquals(payload.get("task_id").getAsString(), r.taskId());
                assertEquals(payload.get("worker_id").getAsString(), r.payload().get("worker_id"));
                assertEquals(List.of(r), platform.commandResponses());
            }
        }
    }

    @Test
    void aCommandForADeviceNobodyListensToFailsAtOnce() {
        CompletableFuture<PlatformEmulator.CommandResponse> answer = platform.sendCommand("ghost", "on", null, null);
        ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("ghost"));
    }

    @Test
    void aResponseWithoutTaskIdIs400() throws Exception {
        try (TestGateway g = alice()) {
            assertEquals(400, g.status("response", Map.of("device_url", "x")));
        }
    }

    // ---- keep-alive -----------------------------------------------------------------------------------------

    @Test
    void quietConnectionsArePingedAndSilentOnesDropped() throws Exception {
        try (PlatformEmulator quick = PlatformEmulator.builder().user("a", "b").pingInterval(Duration.ofMillis(50))
                .readTimeout(Duration.ofMillis(400)).start()) {
            try (TestGateway g = TestGateway.handshake(quick, "a", "b", "")) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (g.pings.get() < 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(g.pings.get() >= 2, "pings: " + g.pings.get());
                assertFalse(g.closed.isDone(), "pongs count as reads");
            }
            // a peer that completes the WebSocket upgrade, then reads nothing and answers nothing
            try (Socket raw = new Socket("127.0.0.1", quick.port())) {
                OutputStream out = raw.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                raw.setSoTimeout(5000);
                InputStream in = raw.getInputStream();
                long started = System.nanoTime();
                while (in.read() != -1) {
                    // the 101 answer and pings: ignored
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertTrue(millis >= 300, "dropped after " + millis + " ms");
            }
        }
    }

    // ---- control --------------------------------------------------------------------------------------------

    @Test
    void closeAllSessionsKeepsGatewaysAndRefusingMakesConnectsFail() throws Exception {
        try (TestGateway g = alice()) {
            g.status("commit", "kept");
            platform.refuseConnections(Duration.ofSeconds(30));
            platform.closeAllSessions();
            assertEquals(1001, g.awaitClosed());
            assertThrows(Exception.class, () -> new TestGateway(platform.uri()).close());
            assertEquals("kept", platform.gateways().get(0).hash());
        }
    }

    @Test
    void faultsFailDropDelayAndClose() throws Exception {
        try (TestGateway g = alice()) {
            platform.faults().failNext("commit", 1, 500).dropNext("clear", 1).closeOnNext("put");
            assertEquals(500, g.status("commit", "x"));
            assertEquals("", platform.gateways().get(0).hash(), "a failed request is not applied");
            g.request("clear", null);
            assertNull(g.poll(Duration.ofMillis(100)), "a dropped request gets no answer");
            assertEquals(200, g.status("commit", "y"));
            g.request("put", device("lamp", "Lamp", "t"));
            assertEquals(1006, g.awaitClosed());
        }
        platform.faults().rejectHandshakes(true);
        try (TestGateway g = new TestGateway(platform.uri())) {
            g.sendCredentials("alice", "secret", "");
            assertEquals(1006, g.awaitClosed());
        }
        platform.faults().clear();
        try (TestGateway g = alice()) {
            platform.faults().delayNext("commit", 1, Duration.ofMillis(200));
            long start = System.nanoTime();
            assertEquals(200, g.status("commit", "late"));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    @Test
    void severalUsersHaveSeparateGatewaysAndDevices() throws Exception {
        try (TestGateway a = alice(); TestGateway b = TestGateway.handshake(platform, "bob", "hunter2", "")) {
            a.status("put", device("lamp", "Alice's lamp", "iot#lamp"));
            b.status("put", device("lamp", "Bob's lamp", "iot#lamp"));
            assertEquals(2, platform.gateways().size());
            for (PlatformEmulator.Gateway gw : platform.gateways()) {
                String expected = gw.user().equals("alice") ? "Alice's lamp" : "Bob's lamp";
                assertEquals(expected, gw.devices().get(0).name());
            }
            assertEquals(2, platform.openSessions());
        }
    }

    @Test
    void theStateFileKeepsGatewaysAndHashesAcrossRestarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("platform.json");
        String gid;
        try (PlatformEmulator first = PlatformEmulator.builder().user("a", "b").stateFile(file).start();
                TestGateway g = TestGateway.handshake(first, "a", "b", "")) {
            gid = first.gateways().get(0).id();
            g.status("put", device("lamp", "Lamp", "iot#lamp", "room:hall"));
            g.status("commit", "persisted");
        }
        try (PlatformEmulator second = PlatformEmulator.builder().user("a", "b").stateFile(file).start();
                TestGateway g = TestGateway.handshake(second, "a", "b", gid)) {
            assertEquals("persisted", second.gateway(gid).orElseThrow().hash());
            assertEquals(List.of("room:hall"), second.gateway(gid).orElseThrow().devices().get(0).tags());
            assertEquals(200, g.status("event", event("lamp", "on", "1", null)));
        }
    }

    @Test
    void resetForgetsEverything() throws Exception {
        try (TestGateway g = alice()) {
            g.status("commit", "x");
        }
        platform.reset();
        assertEquals(List.of(), platform.gateways());
        assertEquals(0, platform.requestCount("commit"));
    }
}
