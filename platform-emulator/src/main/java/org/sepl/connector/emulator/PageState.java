package org.sepl.connector.emulator;

import java.util.List;
import java.util.Map;

import org.sepl.connector.emulator.PlatformEmulator.Command;
import org.sepl.connector.emulator.PlatformEmulator.CommandResponse;
import org.sepl.connector.emulator.PlatformEmulator.Gateway;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * What the control page ({@code GET /}) polls twice a second: {@code GET /ui/state?since=N}. One snapshot of
 * everything the page shows, with only the events the page has not seen yet (from sequence {@code N} on) and the
 * lists bounded, so that a page left open on a busy emulator stays cheap for both sides.
 */
final class PageState {

    static final int MAX_GATEWAYS = 100;
    static final int MAX_EVENTS = 200;
    static final int MAX_COMMANDS = 50;

    private final PlatformEmulator emulator;
    private final Gson gson;

    PageState(PlatformEmulator emulator, Gson gson) {
        this.emulator = emulator;
        this.gson = gson;
    }

    JsonObject snapshot(long sinceEvent) {
        JsonObject o = new JsonObject();
        o.addProperty("uri", emulator.uri().toString());
        o.addProperty("serverTime", System.currentTimeMillis());
        o.addProperty("openSessions", emulator.openSessions());
        o.addProperty("connectionAttempts", emulator.connectionAttempts());
        o.addProperty("refusingConnections", emulator.refusingConnections());

        List<Gateway> gateways = emulator.gateways();
        o.addProperty("gatewayCount", gateways.size());
        o.add("gateways", gson.toJsonTree(gateways.subList(0, Math.min(MAX_GATEWAYS, gateways.size()))));

        History.EventsSince events = emulator.platform().history().eventsSince(sinceEvent, MAX_EVENTS);
        o.addProperty("nextEvent", events.next());
        JsonArray eventArray = new JsonArray();
        for (History.ReceivedEvent r : events.events()) {
            JsonObject e = gson.toJsonTree(r.event()).getAsJsonObject();
            e.addProperty("sequence", r.sequence());
            e.addProperty("received", r.receivedMillis());
            eventArray.add(e);
        }
        o.add("events", eventArray);

        List<Command> commands = emulator.commands();
        JsonArray commandArray = new JsonArray();
        for (Command c : commands.subList(Math.max(0, commands.size() - MAX_COMMANDS), commands.size())) {
            commandArray.add(command(c));
        }
        o.add("commands", commandArray);

        o.add("faults", FaultControl.view(emulator.platform().faults()));
        return o;
    }

    /** A command as {@code GET /commands} lists it: the answer's protocol parts pulled out for reading. */
    JsonObject command(Command c) {
        JsonObject o = new JsonObject();
        o.addProperty("taskId", c.taskId());
        o.addProperty("device", c.deviceUri());
        o.addProperty("service", c.serviceUri());
        o.add("data", gson.toJsonTree(c.data()));
        o.add("metadata", gson.toJsonTree(c.metadata()));
        o.addProperty("sent", c.sent().toEpochMilli());
        CommandResponse answer = c.answer();
        if (answer == null) {
            o.add("answer", JsonNull.INSTANCE);
            o.add("latencyMillis", JsonNull.INSTANCE);
        } else {
            JsonObject a = new JsonObject();
            a.add("data", part(answer.payload(), "data"));
            a.add("metadata", part(answer.payload(), "metadata"));
            o.add("answer", a);
            o.addProperty("latencyMillis", c.latency().toNanos() / 1e6);
        }
        return o;
    }

    /** The value of the named part of a response's {@code protocol_parts} (docs/PROTOCOL.md section 5), or null. */
    private JsonElement part(Map<String, Object> payload, String name) {
        if (payload.get("protocol_parts") instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> m && name.equals(m.get("name"))) {
                    return gson.toJsonTree(m.get("value"));
                }
            }
        }
        return JsonNull.INSTANCE;
    }
}
