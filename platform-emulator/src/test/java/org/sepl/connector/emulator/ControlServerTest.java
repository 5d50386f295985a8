package org.sepl.connector.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The HTTP/JSON control endpoint, as the README shows it with curl. */
class ControlServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private PlatformEmulator platform;

    @BeforeEach
    void start() throws Exception {
        platform = PlatformEmulator.builder().user("alice", "secret").controlPort(0).start();
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.controlPort() + path));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(at(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(at(path).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonElement json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body());
    }

    @Test
    void gatewaysAndEventsAreListed() throws Exception {
        try (TestGateway gateway = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, gateway.status("put", ProtocolTest.device("lamp-1", "Lamp", "iot#lamp", "room:hall")));
            assertEquals(200, gateway.status("commit", "h1"));
            assertEquals(200, gateway.status("event", ProtocolTest.event("lamp-1", "state", "{\"on\":true}", null)));
            assertEquals(400, gateway.status("event", ProtocolTest.event("other", "state", "x", null)));

            JsonArray gateways = json(get("/gateways")).getAsJsonArray();
            assertEquals(1, gateways.size());
            String id = gateways.get(0).getAsJsonObject().get("id").getAsString();
            JsonObject one = json(get("/gateways/" + id)).getAsJsonObject();
            assertEquals("h1", one.get("hash").getAsString());
            JsonObject lamp = one.getAsJsonArray("devices").get(0).getAsJsonObject();
            assertEquals("lamp-1", lamp.get("uri").getAsString());
            assertTrue(lamp.get("connected").getAsBoolean());
            assertEquals(404, get("/gateways/nope").statusCode());

            JsonArray events = json(get("/events")).getAsJsonArray();
            assertEquals(2, events.size());
            assertEquals("{\"on\":true}", events.get(0).getAsJsonObject().get("data").getAsString());
            assertEquals(200, events.get(0).getAsJsonObject().get("status").getAsInt());
            assertEquals(400, events.get(1).getAsJsonObject().get("status").getAsInt());
            assertEquals(1, json(get("/sessions")).getAsJsonObject().get("open").getAsInt());
        }
    }

    @Test
    void postCommandsWaitsForTheGatewaysAnswer() throws Exception {
        try (TestGateway gateway = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, gateway.status("put", ProtocolTest.device("lamp-1", "Lamp", "iot#lamp")));
            CompletableFuture<HttpResponse<String>> pending = http.sendAsync(at("/commands").POST(HttpRequest.BodyPublishers
                    .ofString("{\"device\":\"lamp-1\",\"service\":\"on\",\"data\":\"{\\\"on\\\":true}\",\"timeoutSeconds\":5}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonObject command = gateway.next();
            assertEquals("command", command.get("handler").getAsString());
            JsonObject payload = command.getAsJsonObject("payload");
            assertEquals("{\"on\":true}", payload.getAsJsonArray("protocol_parts").get(1).getAsJsonObject().get("value")
                    .getAsString());
            payload.add("protocol_parts", JsonParser.parseString("[{\"name\":\"metadata\",\"value\":null},"
                    + "{\"name\":\"data\",\"value\":\"done\"}]"));
            assertEquals(200, gateway.status("response", payload));

            HttpResponse<String> answer = pending.get(5, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            JsonObject response = json(answer).getAsJsonObject();
            assertEquals(payload.get("task_id").getAsString(), response.get("taskId").getAsString());
            assertEquals(1, json(get("/command-responses")).getAsJsonArray().size());
        }
        assertEquals(409, post("/commands", "{\"device\":\"nobody-listens\",\"service\":\"on\"}").statusCode());
        assertEquals(400, post("/commands", "{\"service\":\"on\"}").statusCode());
    }

    @Test
    void faultsSessionsAndResetAreControlled() throws Exception {
        try (TestGateway gateway = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, gateway.status("put", ProtocolTest.device("lamp-1", "Lamp", "iot#lamp")));
            assertEquals(200, post("/faults", "{\"handler\":\"event\",\"fail\":1,\"status\":500}").statusCode());
            assertEquals(500, gateway.status("event", ProtocolTest.event("lamp-1", "s", "1", null)));
            assertEquals(200, gateway.status("event", ProtocolTest.event("lamp-1", "s", "2", null)));

            assertEquals(200, post("/faults", "{\"handler\":\"event\",\"fail\":1}").statusCode());
            assertEquals(200, http.send(at("/faults").DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, gateway.status("event", ProtocolTest.event("lamp-1", "s", "3", null)));

            assertEquals(200, post("/sessions/close", "{\"refuseMillis\":0}").statusCode());
            assertEquals(1001, gateway.awaitClosed());
        }
        assertEquals(200, post("/reset", "").statusCode());
        assertEquals(0, json(get("/gateways")).getAsJsonArray().size());
        assertEquals(0, json(get("/events")).getAsJsonArray().size());
        assertEquals(404, get("/nowhere").statusCode());
    }

    @Test
    void theControlPageIsServedWithItsFilesAndNothingElse() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"/ui/app.js\"></script>"), page.body());
        assertTrue(get("/ui/app.js").headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(200, get("/ui/style.css").statusCode());
        assertEquals(404, get("/ui/PageState.class").statusCode());
        assertEquals(404, get("/ui/%2e%2e%2fPageState.class").statusCode());
        assertEquals(404, get("/ui/missing.js").statusCode());
    }

    @Test
    void thePageStateCarriesOnlyTheEventsNotSeenYet() throws Exception {
        try (TestGateway gateway = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, gateway.status("put", ProtocolTest.device("lamp-1", "Lamp", "iot#lamp")));
            for (int i = 0; i < 3; i++) {
                assertEquals(200, gateway.status("event", ProtocolTest.event("lamp-1", "s", "e" + i, null)));
            }
            JsonObject all = json(get("/ui/state")).getAsJsonObject();
            assertEquals(3, all.get("nextEvent").getAsLong());
            assertEquals(3, all.getAsJsonArray("events").size());
            assertEquals(1, all.get("openSessions").getAsInt());
            assertEquals(1, all.get("connectionAttempts").getAsLong());
            assertEquals("lamp-1", all.getAsJsonArray("gateways").get(0).getAsJsonObject().getAsJsonArray("devices")
                    .get(0).getAsJsonObject().get("uri").getAsString());

            JsonArray newer = json(get("/ui/state?since=2")).getAsJsonObject().getAsJsonArray("events");
            assertEquals(1, newer.size());
            assertEquals(2, newer.get(0).getAsJsonObject().get("sequence").getAsLong());
            assertEquals("e2", newer.get(0).getAsJsonObject().get("data").getAsString());
            assertEquals(0, json(get("/ui/state?since=3")).getAsJsonObject().getAsJsonArray("events").size());
            assertEquals(400, get("/ui/state?since=x").statusCode());

            assertEquals(200, post("/faults", "{\"handler\":\"put\",\"fail\":2,\"status\":500}").statusCode());
            JsonObject faults = json(get("/ui/state")).getAsJsonObject().getAsJsonObject("faults");
            assertEquals("fail 500", faults.getAsJsonObject("pending").getAsJsonArray("put").get(1).getAsString());
        }
    }

    @Test
    void commandsAreListedWithTheirAnswersAndLatency() throws Exception {
        try (TestGateway gateway = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, gateway.status("put", ProtocolTest.device("lamp-1", "Lamp", "iot#lamp")));
            CompletableFuture<PlatformEmulator.CommandResponse> answer = platform.sendCommand("lamp-1", "on", "{\"on\":true}", null);
            JsonObject waiting = json(get("/commands")).getAsJsonArray().get(0).getAsJsonObject();
            assertTrue(waiting.get("answer").isJsonNull());
            assertEquals("{\"on\":true}", waiting.get("data").getAsString());

            JsonObject payload = gateway.next().getAsJsonObject("payload");
            JsonObject response = payload.deepCopy();
            response.add("protocol_parts", ProtocolTest.event("lamp-1", "on", "done", null).get("value"));
            assertEquals(200, gateway.status("response", response));
            answer.get(5, TimeUnit.SECONDS);

            JsonObject answered = json(get("/commands")).getAsJsonArray().get(0).getAsJsonObject();
            assertEquals(payload.get("task_id").getAsString(), answered.get("taskId").getAsString());
            assertEquals("done", answered.getAsJsonObject("answer").get("data").getAsString());
            assertTrue(answered.get("latencyMillis").getAsDouble() > 0);
            assertEquals(1, platform.commands().size());
            assertTrue(platform.commands().get(0).latency().toNanos() > 0);
        }
    }

    @Test
    void theSoakFaultsAreArmedReportedAndCountedOverHttp() throws Exception {
        try (TestGateway gateway = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, gateway.status("put", ProtocolTest.device("lamp-1", "Lamp", "iot#lamp")));
            HttpResponse<String> armed = post("/faults", "{\"seed\":42,\"handler\":\"event\",\"dropShare\":0.05,"
                    + "\"delayShare\":0.1,\"millis\":250}");
            assertEquals(200, armed.statusCode(), armed.body());
            assertEquals(200, post("/faults", "{\"duplicateNext\":1,\"throttle\":\"user\",\"max\":20,\"windowMillis\":60000}")
                    .statusCode());
            JsonObject faults = json(get("/faults")).getAsJsonObject();
            assertEquals(42, faults.get("seed").getAsLong());
            assertEquals(platform.faults().seed(), faults.get("seed").getAsLong());
            JsonObject event = faults.getAsJsonObject("answers").getAsJsonObject("event");
            assertEquals(0.05, event.get("dropShare").getAsDouble());
            assertEquals(0.1, event.get("delayShare").getAsDouble());
            assertEquals(250, event.get("millis").getAsLong());
            assertEquals(1, faults.get("duplicateNext").getAsInt());
            assertEquals(20, faults.getAsJsonObject("throttle").getAsJsonObject("user").get("max").getAsInt());
            assertEquals(false, faults.get("linkFaults").getAsBoolean());

            platform.sendCommand("lamp-1", "on", "1", null);
            String task = gateway.next().getAsJsonObject("payload").get("task_id").getAsString();
            assertEquals(task, gateway.next().getAsJsonObject("payload").get("task_id").getAsString());
            JsonObject tally = json(get("/commands/ledger")).getAsJsonArray().get(0).getAsJsonObject();
            assertEquals(task, tally.get("taskId").getAsString());
            assertEquals(2, tally.get("deliveries").getAsInt());
            assertEquals(0, tally.get("responses").getAsInt());
            JsonObject injected = json(get("/faults")).getAsJsonObject().getAsJsonObject("injected");
            assertEquals(1, injected.get("command-duplicated").getAsLong());
            assertEquals(FaultKind.values().length, injected.size());

            assertEquals(200, post("/restart", "{\"refuseMillis\":0}").statusCode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (platform.openSessions() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, platform.openSessions(), "every connection dropped");
            assertEquals(1, json(get("/faults")).getAsJsonObject().getAsJsonObject("injected").get("restarted").getAsLong());
        }
    }

    @Test
    void badFaultBodiesAreRefusedWithTheFieldAndWhatIsAllowed() throws Exception {
        HttpResponse<String> unknown = post("/faults", "{\"dropshare\":0.5}");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("dropshare") && unknown.body().contains("dropShare"), unknown.body());
        HttpResponse<String> share = post("/faults", "{\"handler\":\"event\",\"dropShare\":5}");
        assertEquals(400, share.statusCode());
        assertTrue(share.body().contains("between 0 and 1"), share.body());
        HttpResponse<String> link = post("/faults", "{\"handler\":\"event\",\"silence\":true}");
        assertEquals(400, link.statusCode());
        assertTrue(link.body().contains("--link-faults"), link.body());
        HttpResponse<String> throttle = post("/faults", "{\"throttle\":\"ip\"}");
        assertEquals(400, throttle.statusCode());
        assertTrue(throttle.body().contains("\\\"user\\\" or \\\"address\\\""), throttle.body());
    }

    @Test
    void linkFaultsAreControlledOverHttpWhenTheRelayIsOn() throws Exception {
        try (PlatformEmulator linked = PlatformEmulator.builder().user("alice", "secret").controlPort(0).linkFaults(true).start();
                TestGateway gateway = TestGateway.handshake(linked, "alice", "secret", "")) {
            URI faults = URI.create("http://127.0.0.1:" + linked.controlPort() + "/faults");
            HttpResponse<String> slow = http.send(HttpRequest.newBuilder(faults).POST(HttpRequest.BodyPublishers
                    .ofString("{\"slowReaderBytesPerSecond\":5000}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, slow.statusCode(), slow.body());
            JsonObject view = json(slow).getAsJsonObject();
            assertTrue(view.get("linkFaults").getAsBoolean());
            assertEquals(5000, view.get("slowReaderBytesPerSecond").getAsInt());
            assertEquals(200, http.send(HttpRequest.newBuilder(faults).POST(HttpRequest.BodyPublishers
                    .ofString("{\"silenceOpen\":true}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(1, linked.faults().injected().get(FaultKind.SILENCED));
        }
    }
}
