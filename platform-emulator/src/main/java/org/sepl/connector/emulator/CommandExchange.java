package org.sepl.connector.emulator;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.sepl.connector.emulator.PlatformEmulator.CommandResponse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Commands (docs/PROTOCOL.md §5): a command frame with a fresh {@code task_id} for every connection listening to
 * the device, and the gateway's {@code response} request that answers it; the first answer with that task id
 * completes the command. Commands and answers are recorded in the {@link History}.
 */
final class CommandExchange {

    private final GatewayRegistry registry;
    private final History history;
    private final WireCodec codec;
    private final CommandLedger ledger;
    private final Map<String, CompletableFuture<CommandResponse>> inFlight = new ConcurrentHashMap<>();

    CommandExchange(GatewayRegistry registry, History history, WireCodec codec, int historySize) {
        this.registry = registry;
        this.history = history;
        this.codec = codec;
        this.ledger = new CommandLedger(historySize);
    }

    /** A command frame for the device, the sessions to send it to, and the future of its answer. */
    record PreparedCommand(String taskId, String frame, List<Session> targets, CompletableFuture<CommandResponse> answer) {
    }

    /** The frame and its targets; the answer fails at once if no connection listens to the device. */
    PreparedCommand prepare(String deviceUri, String serviceUri, Object data, Object metadata) {
        List<Session> targets = registry.listeners(deviceUri);
        String taskId = UUID.randomUUID().toString();
        CompletableFuture<CommandResponse> answer = new CompletableFuture<>();
        if (targets.isEmpty()) {
            answer.completeExceptionally(new IllegalStateException("no connection listens to device '" + deviceUri + "'"));
            return new PreparedCommand(taskId, null, targets, answer);
        }
        String frame = codec.commandFrame(taskId, deviceUri, serviceUri, data, metadata);
        History.SentCommand sent = new History.SentCommand(taskId, deviceUri, serviceUri, data, metadata);
        history.command(sent);
        ledger.prepared(taskId, deviceUri);
        inFlight.put(taskId, answer);
        answer.whenComplete((r, e) -> {
            inFlight.remove(taskId);
            sent.answered(r); // runs in complete(), on the thread that read the answer: the latency is the wire's
        });
        return new PreparedCommand(taskId, frame, targets, answer);
    }

    /** The gateway's answer to a command; 400 without {@code task_id}. */
    Outcome response(Session s, String token, JsonElement payload) throws BadRequest {
        JsonObject p = WireCodec.object(payload, "response payload");
        String taskId = WireCodec.required(p, "task_id");
        CommandResponse r = new CommandResponse(taskId, codec.plainMap(p));
        history.response(r);
        ledger.answered(taskId);
        CompletableFuture<CommandResponse> waiting = inFlight.remove(taskId);
        if (waiting != null) {
            waiting.complete(r);
        }
        return Outcome.ok(codec, s, token);
    }

    /** One frame of the command went out to a connection. */
    void delivered(String taskId) {
        ledger.delivered(taskId);
    }

    Map<String, CommandTally> ledger() {
        return ledger.snapshot();
    }

    void resetLedger() {
        ledger.reset();
    }

    /** Fails every command still waiting for its answer with {@code why}. */
    void failInFlight(String why) {
        for (CompletableFuture<CommandResponse> waiting : inFlight.values()) {
            waiting.completeExceptionally(new IllegalStateException(why));
        }
    }
}
