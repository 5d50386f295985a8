package org.sepl.connector.emulator;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.sepl.connector.emulator.PlatformEmulator.CommandResponse;
import org.sepl.connector.emulator.PlatformEmulator.Event;
import org.sepl.connector.emulator.PlatformEmulator.Faults;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * The platform's state and its side of the protocol, without any networking: {@link Endpoint} feeds it frames and
 * carries out the {@link Outcome}s. Frames of one connection come in one at a time, in order; different
 * connections concurrently. All state is guarded by {@code this}.
 */
final class Platform {

    private static final System.Logger LOG = System.getLogger(Platform.class.getName());
    static final int MAX_CONSECUTIVE_ERRORS = 5;

    /** One connection's protocol state. */
    static final class Session {
        final Object connection; // the transport's handle, for Endpoint
        String user;
        String gatewayId; // null until the handshake succeeded
        final Set<String> listening = new LinkedHashSet<>(); // changed only through the methods below
        int consecutiveErrors;
        /*
         * So that a commit costs O(changes), not O(listened devices): while this session is "in step" with a
         * gateway (its committed set had the version seen here when it last equalled what this session listened
         * to), listeningChanges says per device whether it is listened to now; every other device is listened to
         * iff it is in the committed set.
         */
        private StoredGateway inStepWith;
        private long inStepVersion;
        private final Map<String, Boolean> listeningChanges = new HashMap<>();

        Session(Object connection) {
            this.connection = connection;
        }

        void listen(String uri) {
            if (listening.add(uri)) {
                listeningChanges.put(uri, Boolean.TRUE);
            }
        }

        boolean unlisten(String uri) {
            if (listening.remove(uri)) {
                listeningChanges.put(uri, Boolean.FALSE);
                return true;
            }
            return false;
        }

        void unlistenAll() {
            listening.clear();
            inStepWith = null;
            listeningChanges.clear();
        }

        /** Listens to exactly {@code g}'s committed devices: in step with it. */
        void listenToCommitted(StoredGateway g) {
            listening.clear();
            listening.addAll(g.committed);
            inStep(g);
        }

        /** Makes {@code g}'s committed devices what this session listens to: O(changes) when in step. */
        void commitTo(StoredGateway g) {
            if (inStepWith == g && inStepVersion == g.committedVersion) {
                listeningChanges.forEach((uri, listened) -> {
                    if (listened) {
                        g.committed.add(uri);
                    } else {
                        g.committed.remove(uri);
                    }
                });
            } else {
                g.committed.clear();
                g.committed.addAll(listening);
            }
            g.committedVersion++;
            inStep(g);
        }

        private void inStep(StoredGateway g) {
            inStepWith = g;
            inStepVersion = g.committedVersion;
            listeningChanges.clear();
        }

        boolean handshaken() {
            return gatewayId != null;
        }
    }

    /** What the endpoint must do after a frame: send these frames, then maybe drop or close the connection. */
    record Outcome(List<String> replies, Action action) {
        enum Action { NONE, DROP, CLOSE }

        static final Outcome NOTHING = new Outcome(List.of(), Action.NONE);
        static final Outcome DROP = new Outcome(List.of(), Action.DROP);
    }

    private static final class StoredDevice {
        final String uri;
        String name;
        final String iotType;
        final LinkedHashMap<String, String> tags = new LinkedHashMap<>();

        StoredDevice(String uri, String name, String iotType) {
            this.uri = uri;
            this.name = name;
            this.iotType = iotType;
        }
    }

    private static final class StoredGateway {
        final String id;
        final String user;
        String hash = "";
        final Set<String> devices = new LinkedHashSet<>();
        final Set<String> committed = new LinkedHashSet<>();
        /** counts wholesale changes of committed (a session's commit, clear), for Session.commitTo */
        long committedVersion;

        StoredGateway(String id, String user) {
            this.id = id;
            this.user = user;
        }
    }

    private final Map<String, String> users;
    private final Path stateFile;
    private final int history;
    private final Gson gson = new GsonBuilder().serializeNulls().setObjectToNumberStrategy(ToNumberPolicy.LAZILY_PARSED_NUMBER)
            .create();
    private final Faults faults = new Faults();
    private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<CommandResponse>> commandsInFlight = new ConcurrentHashMap<>();

    // guarded by this
    private final Map<String, StoredGateway> gateways = new LinkedHashMap<>();
    private final Map<String, Map<String, StoredDevice>> devicesByUser = new HashMap<>();
    private final Set<Session> sessions = new LinkedHashSet<>();
    private final ArrayDeque<ReceivedEvent> events = new ArrayDeque<>();
    private long eventsReceived; // sequence number of the next event; never reset, so that readers can follow
    private final ArrayDeque<CommandResponse> responses = new ArrayDeque<>();
    private final ArrayDeque<SentCommand> commands = new ArrayDeque<>();
    private boolean dirty;

    Platform(Map<String, String> users, Path stateFile, int history) throws IOException {
        this.users = Map.copyOf(users);
        this.stateFile = stateFile;
        this.history = history;
        if (stateFile != null && Files.exists(stateFile)) {
            load(stateFile);
        }
    }

    Faults faults() {
        return faults;
    }

    long requestCount(String handler) {
        LongAdder n = requestCounts.get(handler);
        return n == null ? 0 : n.sum();
    }

    private void count(String handler) {
        requestCounts.computeIfAbsent(handler, h -> new LongAdder()).increment();
    }

    // ---- connections ----------------------------------------------------------------------------------------

    synchronized Session open(Object connection) {
        Session s = new Session(connection);
        sessions.add(s);
        return s;
    }

    synchronized void closed(Session s) {
        sessions.remove(s);
    }

    synchronized List<Session> sessions() {
        return new ArrayList<>(sessions);
    }

    // ---- frames ---------------------------------------------------------------------------------------------

    /** Handles one text frame of {@code s}. Called by one thread at a time per session. */
    Outcome handle(Session s, String text) {
        if (!s.handshaken()) {
            return handshake(s, text);
        }
        Envelope envelope;
        try {
            envelope = parse(text);
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            // as the real endpoint: once for the parse error, once for the then unknown (empty) handler
            String why = "cannot parse frame: " + e.getMessage();
            return errors(s, List.of(reply(400, "", new JsonPrimitive(why)), reply(400, "", new JsonPrimitive("unknown handler ''"))));
        }
        if (envelope == null) {
            return errors(s, List.of(reply(400, "", new JsonPrimitive("frame is not a JSON object"))));
        }
        String handler = envelope.handler();
        String token = envelope.token();
        JsonElement payload = envelope.payload();
        count(handler);

        Faults.Fault fault = faults.next(handler);
        if (fault instanceof Faults.Drop) {
            return Outcome.NOTHING;
        }
        if (fault instanceof Faults.Close) {
            return Outcome.DROP;
        }
        if (fault instanceof Faults.Fail f) {
            return answer(s, f.status(), token, new JsonPrimitive("injected fault: " + handler + " failed"));
        }
        if (fault instanceof Faults.Delay d) {
            sleep(d.delay());
        }

        try {
            return switch (handler) {
                case "clear" -> clear(s, token);
                case "put" -> put(s, token, payload);
                case "disconnect" -> disconnect(s, token, payload);
                case "delete" -> delete(s, token, payload);
                case "commit" -> commit(s, token, payload);
                case "event" -> envelope.event() != null ? event(s, token, envelope.event()) : event(s, token, payload);
                case "response" -> response(s, token, payload);
                default -> answer(s, 400, token, new JsonPrimitive("unknown handler '" + handler + "'"));
            };
        } catch (BadRequest e) {
            return answer(s, 400, token, new JsonPrimitive(e.getMessage()));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Outcome handshake(Session s, String text) {
        count("handshake");
        JsonObject credentials;
        try {
            JsonElement e = JsonParser.parseString(text);
            credentials = e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            credentials = null;
        }
        if (credentials == null || faults.rejectingHandshakes()) {
            return Outcome.DROP;
        }
        String user = string(credentials.get("user"));
        String password = string(credentials.get("pw"));
        String gid = string(credentials.get("gid"));
        String token = string(credentials.get("token"));
        if (user == null || password == null || !password.equals(users.get(user))) {
            LOG.log(System.Logger.Level.INFO, "Handshake refused for user ''{0}''", user);
            return Outcome.DROP;
        }
        JsonObject payload = new JsonObject();
        synchronized (this) {
            StoredGateway g = gid == null ? null : gateways.get(gid);
            if (g == null || !g.user.equals(user)) {
                g = new StoredGateway(UUID.randomUUID().toString(), user);
                gateways.put(g.id, g);
                dirty = true;
            }
            s.user = user;
            s.gatewayId = g.id;
            s.listenToCommitted(g);
            payload.addProperty("gid", g.id);
            payload.addProperty("hash", g.hash);
        }
        return new Outcome(List.of(reply(200, token == null ? "" : token, payload)), Outcome.Action.NONE);
    }

    private Outcome clear(Session s, String token) {
        synchronized (this) {
            StoredGateway g = gateways.get(s.gatewayId);
            if (g == null) {
                return answer(s, 500, token, new JsonPrimitive("gateway " + s.gatewayId + " no longer exists"));
            }
            g.devices.clear();
            g.committed.clear();
            g.committedVersion++;
            g.hash = "";
            s.listenToCommitted(g);
            dirty = true;
        }
        return ok(s, token);
    }

    private Outcome put(Session s, String token, JsonElement payload) throws BadRequest {
        JsonObject p = object(payload, "put payload");
        String uri = required(p, "uri");
        String type = required(p, "iot_type");
        String name = p.has("name") && !p.get("name").isJsonNull() ? string(p.get("name")) : "";
        if (name == null) {
            throw new BadRequest("'name' must be a string");
        }
        List<String[]> tags = new ArrayList<>();
        JsonElement t = p.get("tags");
        if (t != null && !t.isJsonNull()) {
            if (!t.isJsonArray()) {
                throw new BadRequest("'tags' must be an array of \"id:value\" strings");
            }
            for (JsonElement tag : t.getAsJsonArray()) {
                String text = string(tag);
                int colon = text == null ? -1 : text.indexOf(':');
                if (colon <= 0 || text.indexOf(':', colon + 1) >= 0 || text.indexOf(';') >= 0) {
                    throw new BadRequest("invalid tag " + tag + ": expected \"id:value\" without ':' or ';' in either part");
                }
                tags.add(new String[] {text.substring(0, colon), text.substring(colon + 1)});
            }
        }
        synchronized (this) {
            StoredGateway g = gateways.get(s.gatewayId);
            if (g == null) {
                return answer(s, 500, token, new JsonPrimitive("gateway " + s.gatewayId + " no longer exists"));
            }
            Map<String, StoredDevice> devices = devicesByUser.computeIfAbsent(s.user, u -> new HashMap<>());
            StoredDevice d = devices.get(uri);
            if (d == null) {
                d = new StoredDevice(uri, name, type);
                devices.put(uri, d);
            } else {
                d.name = name; // the type is never changed; tags are merged, the gateway's win per key
            }
            for (String[] tag : tags) {
                d.tags.put(tag[0], tag[1]);
            }
            g.devices.add(uri);
            s.listen(uri);
            dirty = true;
        }
        return ok(s, token);
    }

    private Outcome disconnect(Session s, String token, JsonElement payload) throws BadRequest {
        String uri = stringPayload(payload, "disconnect payload (the device id)");
        synchronized (this) {
            if (!s.unlisten(uri)) {
                return answer(s, 500, token, new JsonPrimitive("not listening to device '" + uri + "'"));
            }
        }
        return ok(s, token);
    }

    private Outcome delete(Session s, String token, JsonElement payload) throws BadRequest {
        String uri = stringPayload(payload, "delete payload (the device id)");
        synchronized (this) {
            Map<String, StoredDevice> devices = devicesByUser.getOrDefault(s.user, Map.of());
            if (devices.remove(uri) == null) {
                return answer(s, 500, token, new JsonPrimitive("unknown device '" + uri + "'"));
            }
            for (Session other : sessions) {
                if (s.user.equals(other.user)) {
                    other.unlisten(uri);
                }
            }
            for (StoredGateway g : gateways.values()) {
                if (g.user.equals(s.user)) {
                    g.devices.remove(uri);
                    g.committed.remove(uri);
                }
            }
            dirty = true;
        }
        return ok(s, token);
    }

    private Outcome commit(Session s, String token, JsonElement payload) {
        if (!payload.isJsonPrimitive() || !payload.getAsJsonPrimitive().isString()) {
            return answer(s, 400, token, new JsonPrimitive("commit payload must be the gateway hash as a string"));
        }
        synchronized (this) {
            StoredGateway g = gateways.get(s.gatewayId);
            if (g == null) {
                return answer(s, 500, token, new JsonPrimitive("gateway " + s.gatewayId + " no longer exists"));
            }
            g.hash = payload.getAsString();
            s.commitTo(g);
            dirty = true;
        }
        return ok(s, token);
    }

    /** A request envelope; an event's payload is read straight into {@code event} (events are the hot path). */
    private record Envelope(String handler, String token, JsonElement payload, EventRequest event) {
    }

    private record EventRequest(String device, String service, Object data, Object metadata) {
    }

    /** @return the envelope, or null if the frame is JSON but not an object */
    private Envelope parse(String text) throws IOException {
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                r.skipValue();
                end(r);
                return null;
            }
            String handler = "";
            String token = "";
            JsonElement payload = JsonNull.INSTANCE;
            EventRequest event = null;
            r.beginObject();
            while (r.hasNext()) {
                switch (r.nextName()) {
                    case "handler" -> handler = stringOr(r, "");
                    case "token" -> token = stringOr(r, "");
                    case "payload" -> {
                        if ("event".equals(handler) && r.peek() == JsonToken.BEGIN_OBJECT) {
                            event = eventPayload(r);
                        } else {
                            payload = JsonParser.parseReader(r);
                        }
                    }
                    default -> r.skipValue();
                }
            }
            r.endObject();
            end(r);
            return new Envelope(handler, token, payload, event);
        }
    }

    private static void end(JsonReader r) throws IOException {
        if (r.peek() != JsonToken.END_DOCUMENT) {
            throw new JsonParseException("more than one JSON document in the frame");
        }
    }

    private static String stringOr(JsonReader r, String otherwise) throws IOException {
        if (r.peek() == JsonToken.STRING) {
            return r.nextString();
        }
        r.skipValue();
        return otherwise;
    }

    private EventRequest eventPayload(JsonReader r) throws IOException {
        String device = null;
        String service = null;
        Object data = null;
        Object metadata = null;
        r.beginObject();
        while (r.hasNext()) {
            switch (r.nextName()) {
                case "device_uri" -> device = stringOr(r, null);
                case "service_uri" -> service = stringOr(r, null);
                case "value" -> {
                    if (r.peek() != JsonToken.BEGIN_ARRAY) {
                        r.skipValue();
                        continue;
                    }
                    r.beginArray();
                    while (r.hasNext()) {
                        if (r.peek() != JsonToken.BEGIN_OBJECT) {
                            r.skipValue();
                            continue;
                        }
                        String name = null;
                        Object value = null;
                        r.beginObject();
                        while (r.hasNext()) {
                            switch (r.nextName()) {
                                case "name" -> name = stringOr(r, null);
                                case "value" -> value = r.peek() == JsonToken.STRING ? r.nextString() : plain(JsonParser.parseReader(r));
                                default -> r.skipValue();
                            }
                        }
                        r.endObject();
                        if ("data".equals(name)) {
                            data = value;
                        } else if ("metadata".equals(name)) {
                            metadata = value;
                        }
                    }
                    r.endArray();
                }
                default -> r.skipValue();
            }
        }
        r.endObject();
        return new EventRequest(device, service, data, metadata);
    }

    private Outcome event(Session s, String token, EventRequest e) throws BadRequest {
        if (e.device() == null || e.device().isEmpty()) {
            throw new BadRequest("'device_uri' must be a non-empty string");
        }
        if (e.service() == null || e.service().isEmpty()) {
            throw new BadRequest("'service_uri' must be a non-empty string");
        }
        boolean listened;
        synchronized (this) {
            listened = s.listening.contains(e.device());
            record(events, new ReceivedEvent(eventsReceived++, System.currentTimeMillis(),
                    new Event(s.gatewayId, e.device(), e.service(), e.data(), e.metadata(), listened ? 200 : 400)));
        }
        if (!listened) {
            return answer(s, 400, token, new JsonPrimitive("device '" + e.device() + "' is not connected on this connection"));
        }
        return ok(s, token);
    }

    /** The same, from a payload that came before its handler in the frame. */
    private Outcome event(Session s, String token, JsonElement payload) throws BadRequest {
        JsonObject p = object(payload, "event payload");
        String device = required(p, "device_uri");
        String service = required(p, "service_uri");
        Object data = null;
        Object metadata = null;
        JsonElement value = p.get("value");
        if (value != null && value.isJsonArray()) {
            for (JsonElement part : value.getAsJsonArray()) {
                if (part.isJsonObject()) {
                    String name = string(part.getAsJsonObject().get("name"));
                    Object v = plain(part.getAsJsonObject().get("value"));
                    if ("data".equals(name)) {
                        data = v;
                    } else if ("metadata".equals(name)) {
                        metadata = v;
                    }
                }
            }
        }
        return event(s, token, new EventRequest(device, service, data, metadata));
    }

    private Outcome response(Session s, String token, JsonElement payload) throws BadRequest {
        JsonObject p = object(payload, "response payload");
        String taskId = required(p, "task_id");
        Map<String, Object> answer = gson.fromJson(p, new TypeToken<Map<String, Object>>() { }.getType());
        CommandResponse r = new CommandResponse(taskId, java.util.Collections.unmodifiableMap(answer));
        synchronized (this) {
            record(responses, r);
        }
        CompletableFuture<CommandResponse> waiting = commandsInFlight.remove(taskId);
        if (waiting != null) {
            waiting.complete(r);
        }
        return ok(s, token);
    }

    /** Strings (the usual protocol part value) without a trip through a type adapter: events are the hot path. */
    private Object plain(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return value.getAsString();
        }
        return gson.fromJson(value, Object.class);
    }

    private <T> void record(ArrayDeque<T> log, T entry) {
        if (history == 0) {
            return;
        }
        if (log.size() >= history) {
            log.pollFirst();
        }
        log.addLast(entry);
    }

    // ---- commands -------------------------------------------------------------------------------------------

    /** A command in the log: when it left and, once answered, the answer and how long it took. */
    private static final class SentCommand {
        final String taskId;
        final String deviceUri;
        final String serviceUri;
        final Object data;
        final Object metadata;
        final Instant sent = Instant.now();
        final long sentNanos = System.nanoTime();
        volatile CommandResponse answer;
        volatile long latencyNanos;

        SentCommand(String taskId, String deviceUri, String serviceUri, Object data, Object metadata) {
            this.taskId = taskId;
            this.deviceUri = deviceUri;
            this.serviceUri = serviceUri;
            this.data = data;
            this.metadata = metadata;
        }

        void answered(CommandResponse response) {
            if (response != null) {
                latencyNanos = System.nanoTime() - sentNanos;
                answer = response;
            }
        }

        PlatformEmulator.Command view() {
            CommandResponse a = answer;
            return new PlatformEmulator.Command(taskId, deviceUri, serviceUri, data, metadata, sent, a,
                    a == null ? null : Duration.ofNanos(latencyNanos));
        }
    }

    /** A command frame for the device, the sessions to send it to, and the future of its answer. */
    record PreparedCommand(String frame, List<Session> targets, CompletableFuture<CommandResponse> answer) {
    }

    PreparedCommand prepareCommand(String deviceUri, String serviceUri, Object data, Object metadata) {
        List<Session> targets = new ArrayList<>();
        synchronized (this) {
            for (Session s : sessions) {
                if (s.listening.contains(deviceUri)) {
                    targets.add(s);
                }
            }
        }
        String taskId = UUID.randomUUID().toString();
        CompletableFuture<CommandResponse> answer = new CompletableFuture<>();
        if (targets.isEmpty()) {
            answer.completeExceptionally(new IllegalStateException("no connection listens to device '" + deviceUri + "'"));
            return new PreparedCommand(null, targets, answer);
        }
        JsonObject payload = new JsonObject();
        payload.addProperty("worker_id", UUID.randomUUID().toString());
        payload.addProperty("task_id", taskId);
        payload.addProperty("device_url", deviceUri);
        payload.addProperty("service_url", serviceUri);
        JsonArray parts = new JsonArray();
        parts.add(part("metadata", metadata));
        parts.add(part("data", data));
        payload.add("protocol_parts", parts);
        payload.addProperty("device_instance_id", "iot#" + UUID.nameUUIDFromBytes(deviceUri.getBytes(StandardCharsets.UTF_8)));
        payload.addProperty("service_id", "iot#" + UUID.nameUUIDFromBytes(serviceUri.getBytes(StandardCharsets.UTF_8)));
        payload.addProperty("output_name", "Task_emulator");
        payload.addProperty("time", Long.toString(Instant.now().getEpochSecond()));
        JsonObject frame = new JsonObject();
        frame.addProperty("status", 0);
        frame.addProperty("handler", "command");
        frame.addProperty("token", "");
        frame.addProperty("content_type", "map");
        frame.add("payload", payload);
        SentCommand sent = new SentCommand(taskId, deviceUri, serviceUri, data, metadata);
        synchronized (this) {
            record(commands, sent);
        }
        commandsInFlight.put(taskId, answer);
        answer.whenComplete((r, e) -> {
            commandsInFlight.remove(taskId);
            sent.answered(r); // runs in complete(), on the thread that read the answer: the latency is the wire's
        });
        return new PreparedCommand(gson.toJson(frame), targets, answer);
    }

    private JsonObject part(String name, Object value) {
        JsonObject part = new JsonObject();
        part.addProperty("name", name);
        part.add("value", value == null ? JsonNull.INSTANCE : gson.toJsonTree(value));
        return part;
    }

    // ---- inspection -----------------------------------------------------------------------------------------

    synchronized List<PlatformEmulator.Gateway> gateways() {
        List<PlatformEmulator.Gateway> all = new ArrayList<>();
        for (StoredGateway g : gateways.values()) {
            all.add(view(g));
        }
        return List.copyOf(all);
    }

    synchronized Optional<PlatformEmulator.Gateway> gateway(String id) {
        StoredGateway g = id == null ? null : gateways.get(id);
        return g == null ? Optional.empty() : Optional.of(view(g));
    }

    private PlatformEmulator.Gateway view(StoredGateway g) {
        List<PlatformEmulator.Device> devices = new ArrayList<>();
        Map<String, StoredDevice> stored = devicesByUser.getOrDefault(g.user, Map.of());
        for (String uri : g.devices) {
            StoredDevice d = stored.get(uri);
            if (d == null) {
                continue;
            }
            List<String> tags = new ArrayList<>();
            d.tags.forEach((k, v) -> tags.add(k + ":" + v));
            devices.add(new PlatformEmulator.Device(d.uri, d.name, d.iotType, List.copyOf(tags), connected(g.id, uri)));
        }
        return new PlatformEmulator.Gateway(g.id, g.user, g.hash, List.copyOf(devices));
    }

    private boolean connected(String gatewayId, String uri) {
        for (Session s : sessions) {
            if (gatewayId.equals(s.gatewayId) && s.listening.contains(uri)) {
                return true;
            }
        }
        return false;
    }

    synchronized List<Event> events() {
        List<Event> all = new ArrayList<>(events.size());
        for (ReceivedEvent r : events) {
            all.add(r.event());
        }
        return List.copyOf(all);
    }

    /** An event with its sequence number (0, 1, ... since start, across resets) and arrival time. */
    record ReceivedEvent(long sequence, long receivedMillis, Event event) {
    }

    /** Events from sequence {@code next - events.size()} on; {@code next} is the sequence of the next event. */
    record EventsSince(long next, List<ReceivedEvent> events) {
    }

    /** The events with a sequence number from {@code since} on that are still kept, the last {@code max} of them. */
    synchronized EventsSince eventsSince(long since, int max) {
        ArrayDeque<ReceivedEvent> newest = new ArrayDeque<>();
        var it = events.descendingIterator();
        while (it.hasNext() && newest.size() < max) {
            ReceivedEvent r = it.next();
            if (r.sequence() < since) {
                break;
            }
            newest.addFirst(r);
        }
        return new EventsSince(eventsReceived, List.copyOf(newest));
    }

    /** Commands sent, oldest first, with their answers so far. */
    synchronized List<PlatformEmulator.Command> commands() {
        List<PlatformEmulator.Command> all = new ArrayList<>(commands.size());
        for (SentCommand c : commands) {
            all.add(c.view());
        }
        return List.copyOf(all);
    }

    synchronized List<CommandResponse> commandResponses() {
        return List.copyOf(responses);
    }

    synchronized void reset() {
        gateways.clear();
        devicesByUser.clear();
        events.clear();
        responses.clear();
        commands.clear();
        requestCounts.clear();
        faults.clear();
        for (Session s : sessions) {
            s.unlistenAll();
        }
        dirty = true;
    }

    // ---- replies --------------------------------------------------------------------------------------------

    private Outcome ok(Session s, String token) {
        s.consecutiveErrors = 0;
        return new Outcome(List.of(reply(200, token, OK)), Outcome.Action.NONE);
    }

    private static final JsonPrimitive OK = new JsonPrimitive("ok");

    private Outcome answer(Session s, int status, String token, JsonElement payload) {
        if (status == 200) {
            s.consecutiveErrors = 0;
            return new Outcome(List.of(reply(status, token, payload)), Outcome.Action.NONE);
        }
        return errors(s, List.of(reply(status, token, payload)));
    }

    private Outcome errors(Session s, List<String> replies) {
        s.consecutiveErrors += replies.size();
        boolean tooMany = s.consecutiveErrors > MAX_CONSECUTIVE_ERRORS;
        return new Outcome(replies, tooMany ? Outcome.Action.CLOSE : Outcome.Action.NONE);
    }

    /** A response envelope; built by hand because it is the hot path of every benchmark. */
    String reply(int status, String token, JsonElement payload) {
        StringBuilder b = new StringBuilder(96);
        b.append("{\"status\":").append(status).append(",\"handler\":\"response\",\"token\":");
        b.append(gson.toJson(token));
        b.append(",\"content_type\":\"").append(contentType(payload)).append("\",\"payload\":");
        b.append(payload == OK ? "\"ok\"" : gson.toJson(payload));
        return b.append('}').toString();
    }

    private static String contentType(JsonElement payload) {
        if (payload.isJsonObject()) {
            return "map";
        }
        if (payload.isJsonArray()) {
            return "slice";
        }
        if (payload.isJsonPrimitive()) {
            JsonPrimitive p = payload.getAsJsonPrimitive();
            return p.isString() ? "string" : p.isNumber() ? "float64" : "bool";
        }
        return "";
    }

    // ---- payload checks -------------------------------------------------------------------------------------

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static JsonObject object(JsonElement payload, String what) throws BadRequest {
        if (!payload.isJsonObject()) {
            throw new BadRequest(what + " must be a JSON object");
        }
        return payload.getAsJsonObject();
    }

    private static String required(JsonObject o, String field) throws BadRequest {
        String value = string(o.get(field));
        if (value == null || value.isEmpty()) {
            throw new BadRequest("'" + field + "' must be a non-empty string");
        }
        return value;
    }

    private static String stringPayload(JsonElement payload, String what) throws BadRequest {
        String value = string(payload);
        if (value == null || value.isEmpty()) {
            throw new BadRequest(what + " must be a non-empty string");
        }
        return value;
    }

    private static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    // ---- persistence ----------------------------------------------------------------------------------------

    /** Writes the state file if something changed since the last save. */
    void saveIfDirty() {
        if (stateFile == null) {
            return;
        }
        String json;
        synchronized (this) {
            if (!dirty) {
                return;
            }
            dirty = false;
            json = gson.toJson(snapshot());
        }
        try {
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot save the state to " + stateFile, e);
            synchronized (this) {
                dirty = true;
            }
        }
    }

    private JsonObject snapshot() {
        JsonObject root = new JsonObject();
        JsonArray gs = new JsonArray();
        for (StoredGateway g : gateways.values()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", g.id);
            o.addProperty("user", g.user);
            o.addProperty("hash", g.hash);
            o.add("devices", gson.toJsonTree(g.devices));
            o.add("committed", gson.toJsonTree(g.committed));
            gs.add(o);
        }
        root.add("gateways", gs);
        JsonObject ds = new JsonObject();
        devicesByUser.forEach((user, devices) -> {
            JsonArray list = new JsonArray();
            for (StoredDevice d : devices.values()) {
                JsonObject o = new JsonObject();
                o.addProperty("uri", d.uri);
                o.addProperty("name", d.name);
                o.addProperty("iot_type", d.iotType);
                JsonArray tags = new JsonArray();
                d.tags.forEach((k, v) -> tags.add(k + ":" + v));
                o.add("tags", tags);
                list.add(o);
            }
            ds.add(user, list);
        });
        root.add("devices", ds);
        return root;
    }

    private void load(Path file) throws IOException {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException("state file " + file + " is not an emulator state: " + e.getMessage(), e);
        }
        for (JsonElement e : root.getAsJsonArray("gateways")) {
            JsonObject o = e.getAsJsonObject();
            StoredGateway g = new StoredGateway(o.get("id").getAsString(), o.get("user").getAsString());
            g.hash = o.get("hash").getAsString();
            o.getAsJsonArray("devices").forEach(d -> g.devices.add(d.getAsString()));
            o.getAsJsonArray("committed").forEach(d -> g.committed.add(d.getAsString()));
            gateways.put(g.id, g);
        }
        for (Map.Entry<String, JsonElement> byUser : root.getAsJsonObject("devices").entrySet()) {
            Map<String, StoredDevice> devices = devicesByUser.computeIfAbsent(byUser.getKey(), u -> new HashMap<>());
            for (JsonElement e : byUser.getValue().getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                StoredDevice d = new StoredDevice(o.get("uri").getAsString(), o.get("name").getAsString(),
                        o.get("iot_type").getAsString());
                for (JsonElement tag : o.getAsJsonArray("tags")) {
                    String t = tag.getAsString();
                    int colon = t.indexOf(':');
                    d.tags.put(t.substring(0, colon), t.substring(colon + 1));
                }
                devices.put(d.uri, d);
            }
        }
    }

    void close() {
        try {
            saveIfDirty();
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot save the state", e);
        }
        for (CompletableFuture<CommandResponse> waiting : commandsInFlight.values()) {
            waiting.completeExceptionally(new IllegalStateException("platform emulator closed"));
        }
    }
}
