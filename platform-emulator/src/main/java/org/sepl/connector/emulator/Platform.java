package org.sepl.connector.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;

/**
 * The platform without any networking: {@link Endpoint} feeds it the frames of each connection and carries out
 * the {@link Outcome}s. This class routes a frame to the handler of its protocol area ({@link HandshakeHandler},
 * {@link DeviceRequests}, {@link EventRequests}, {@link CommandExchange}), applies the armed faults and counts
 * requests. Frames of one connection come in one at a time, in order; different connections concurrently.
 */
final class Platform {

    private final WireCodec codec;
    private final FaultInjector faults = new FaultInjector();
    private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
    private final GatewayRegistry registry = new GatewayRegistry();
    private final History history;
    private final StateFile stateFile; // null: in memory only
    private final HandshakeHandler handshakes;
    private final DeviceRequests devices;
    private final EventRequests events;
    private final CommandExchange commands;

    /** @param clock the platform's clock, in the {@code time} of its commands */
    Platform(Map<String, String> users, Path stateFile, int history, java.time.Clock clock) throws IOException {
        this.codec = new WireCodec(clock);
        this.history = new History(history);
        this.stateFile = stateFile == null ? null : new StateFile(stateFile, codec.gson());
        if (this.stateFile != null) {
            this.stateFile.loadInto(registry);
        }
        handshakes = new HandshakeHandler(users, registry, codec, faults);
        devices = new DeviceRequests(registry, codec);
        events = new EventRequests(registry, this.history, codec);
        commands = new CommandExchange(registry, this.history, codec, history);
    }

    FaultInjector faults() {
        return faults;
    }

    GatewayRegistry registry() {
        return registry;
    }

    History history() {
        return history;
    }

    CommandExchange commands() {
        return commands;
    }

    long requestCount(String handler) {
        LongAdder n = requestCounts.get(handler);
        return n == null ? 0 : n.sum();
    }

    private void count(String handler) {
        requestCounts.computeIfAbsent(handler, h -> new LongAdder()).increment();
    }

    /** Handles one text frame of {@code s}. Called by one thread at a time per session. */
    Outcome handle(Session s, String text) {
        if (!s.handshaken()) {
            count("handshake");
            return handshakes.handshake(s, text);
        }
        WireCodec.Envelope envelope;
        try {
            envelope = codec.parse(text);
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            // as the real endpoint: once for the parse error, once for the then unknown (empty) handler
            String why = "cannot parse frame: " + e.getMessage();
            return Outcome.errors(s, List.of(codec.reply(400, "", new JsonPrimitive(why)),
                    codec.reply(400, "", new JsonPrimitive("unknown handler ''"))));
        }
        if (envelope == null) {
            return Outcome.errors(s, List.of(codec.reply(400, "", new JsonPrimitive("frame is not a JSON object"))));
        }
        String handler = envelope.handler();
        String token = envelope.token();
        JsonElement payload = envelope.payload();
        count(handler);

        if (!faults.armed()) {
            return apply(s, handler, token, payload, envelope);
        }
        FaultInjector.Fault fault = faults.next(handler);
        if (fault instanceof FaultInjector.Drop) {
            return Outcome.NOTHING;
        }
        if (fault instanceof FaultInjector.Close) {
            return Outcome.DROP;
        }
        if (fault instanceof FaultInjector.Silence) {
            return Outcome.SILENCE;
        }
        if (fault instanceof FaultInjector.Fail f) {
            return Outcome.answer(codec, s, f.status(), token, new JsonPrimitive("injected fault: " + handler + " failed"));
        }
        if (fault instanceof FaultInjector.Delay d) {
            sleep(d.delay());
        }
        Outcome outcome = apply(s, handler, token, payload, envelope);
        Duration answerFault = faults.answerFault(handler);
        if (answerFault == null) {
            return outcome;
        }
        return answerFault.isZero() ? outcome.unanswered() : outcome.delayed(answerFault.toMillis());
    }

    private Outcome apply(Session s, String handler, String token, JsonElement payload, WireCodec.Envelope envelope) {
        try {
            return switch (handler) {
                case "clear" -> devices.clear(s, token);
                case "put" -> devices.put(s, token, payload);
                case "disconnect" -> devices.disconnect(s, token, payload);
                case "delete" -> devices.delete(s, token, payload);
                case "commit" -> devices.commit(s, token, payload);
                case "event" -> events.event(s, token, envelope.event() != null ? envelope.event() : codec.eventPayload(payload));
                case "response" -> commands.response(s, token, payload);
                default -> Outcome.answer(codec, s, 400, token, new JsonPrimitive("unknown handler '" + handler + "'"));
            };
        } catch (BadRequest e) {
            return Outcome.answer(codec, s, 400, token, new JsonPrimitive(e.getMessage()));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes the state file if there is one and something changed. */
    void saveIfDirty() {
        if (stateFile != null) {
            stateFile.saveIfDirty(registry);
        }
    }

    /**
     * What a platform process loses in a restart, once its connections were dropped: the commands waiting for an
     * answer; the gateways and devices are read back from the state file if there is one (else they stay).
     */
    void forgetSessions() {
        registry.forgetListening();
        commands.failInFlight("the platform restarted before the answer came");
        if (stateFile != null) {
            stateFile.saveIfDirty(registry);
            try {
                stateFile.loadInto(registry);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the state file back after the restart", e);
            }
        }
    }

    /** Forgets gateways, devices, events, responses, commands, the ledger, request counts, faults and their counts. */
    void reset() {
        registry.reset();
        history.reset();
        commands.resetLedger();
        requestCounts.clear();
        faults.clear();
        faults.resetCounts();
    }

    void close() {
        saveIfDirty();
        commands.failInFlight("platform emulator closed");
    }
}
