package org.sepl.connector.emulator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The fault routes' JSON ({@code GET /faults}, {@code POST /faults}; see the README): what is armed and what was
 * injected, and the bodies that arm faults. One body may arm several faults.
 */
final class FaultControl {

    /** The fields a {@code POST /faults} body may have. */
    static final Set<String> FIELDS = Set.of("rejectHandshakes", "handler", "fail", "status", "delay", "millis", "drop",
            "close", "silence", "dropShare", "delayShare", "seed", "duplicateShare", "duplicateNext", "silenceOpen",
            "slowReaderBytesPerSecond", "throttle", "max", "windowMillis");

    private FaultControl() {
    }

    /** Arms the faults a {@code POST /faults} body describes; IllegalArgumentException names a bad field. */
    static void arm(JsonObject body, FaultInjector faults) {
        Set<String> unknown = new TreeSet<>(body.keySet());
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown field(s) " + unknown + "; allowed: " + new TreeSet<>(FIELDS));
        }
        if (body.has("seed")) {
            faults.seed(number(body, "seed").longValue());
        }
        if (body.has("rejectHandshakes")) {
            faults.rejectHandshakes(bool(body, "rejectHandshakes"));
        }
        if (body.has("duplicateShare")) {
            faults.duplicateCommands(number(body, "duplicateShare").doubleValue());
        }
        if (body.has("duplicateNext")) {
            faults.duplicateNextCommands(whole(body, "duplicateNext"));
        }
        if (body.has("slowReaderBytesPerSecond")) {
            faults.slowReader(whole(body, "slowReaderBytesPerSecond"));
        }
        if (body.has("silenceOpen") && bool(body, "silenceOpen")) {
            faults.silenceOpenConnections();
        }
        if (body.has("throttle")) {
            String by = string(body, "throttle");
            ThrottleKey key = switch (by) {
                case "user" -> ThrottleKey.USER;
                case "address" -> ThrottleKey.ADDRESS;
                default -> throw new IllegalArgumentException("'throttle' must be \"user\" or \"address\", was \"" + by + "\"");
            };
            int max = body.has("max") ? whole(body, "max") : ConnectionThrottle.DEFAULT_MAX;
            Duration window = body.has("windowMillis") ? Duration.ofMillis(number(body, "windowMillis").longValue())
                    : ConnectionThrottle.DEFAULT_WINDOW;
            faults.throttleConnections(key, max, window);
        }
        if (!body.has("handler")) {
            return;
        }
        String handler = string(body, "handler");
        if (body.has("fail")) {
            faults.failNext(handler, whole(body, "fail"), body.has("status") ? whole(body, "status") : 500);
        }
        if (body.has("delay")) {
            faults.delayNext(handler, whole(body, "delay"), Duration.ofMillis(number(body, "millis").longValue()));
        }
        if (body.has("drop")) {
            faults.dropNext(handler, whole(body, "drop"));
        }
        if (body.has("close") && bool(body, "close")) {
            faults.closeOnNext(handler);
        }
        if (body.has("silence") && bool(body, "silence")) {
            faults.silenceOnNext(handler);
        }
        if (body.has("dropShare")) {
            faults.dropAnswers(handler, number(body, "dropShare").doubleValue());
        }
        if (body.has("delayShare")) {
            faults.delayAnswers(handler, number(body, "delayShare").doubleValue(),
                    Duration.ofMillis(number(body, "millis").longValue()));
        }
    }

    /** What {@code GET /faults} answers (and the page shows). */
    static JsonObject view(FaultInjector faults) {
        JsonObject o = new JsonObject();
        o.addProperty("seed", faults.seed());
        o.addProperty("linkFaults", faults.linkFaults());
        o.addProperty("rejectHandshakes", faults.rejectingHandshakes());
        JsonObject pending = new JsonObject();
        faults.pending().forEach((handler, list) -> {
            com.google.gson.JsonArray a = new com.google.gson.JsonArray();
            list.forEach(a::add);
            pending.add(handler, a);
        });
        o.add("pending", pending);
        JsonObject answers = new JsonObject();
        faults.answerShares().forEach((handler, shares) -> {
            JsonObject a = new JsonObject();
            a.addProperty("dropShare", shares.drop());
            a.addProperty("delayShare", shares.delay());
            a.addProperty("millis", shares.delayBy().toMillis());
            answers.add(handler, a);
        });
        o.add("answers", answers);
        o.addProperty("duplicateShare", faults.duplicateShare());
        o.addProperty("duplicateNext", faults.duplicateNextPending());
        o.addProperty("slowReaderBytesPerSecond", faults.slowReaderBytesPerSecond());
        JsonObject throttles = new JsonObject();
        faults.throttles().forEach((key, limit) -> {
            JsonObject t = new JsonObject();
            t.addProperty("max", limit.max());
            t.addProperty("windowMillis", limit.window().toMillis());
            throttles.add(key.label(), t);
        });
        o.add("throttle", throttles);
        JsonObject injected = new JsonObject();
        for (Map.Entry<FaultKind, Long> e : faults.injected().entrySet()) {
            injected.addProperty(e.getKey().label(), e.getValue());
        }
        o.add("injected", injected);
        return o;
    }

    private static JsonElement field(JsonObject body, String name) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("'" + name + "' is required here");
        }
        return e;
    }

    private static Number number(JsonObject body, String name) {
        JsonElement e = field(body, name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("'" + name + "' must be a number, was " + e);
        }
        return e.getAsNumber();
    }

    private static int whole(JsonObject body, String name) {
        double d = number(body, name).doubleValue();
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + name + "' must be a whole number, was " + body.get(name));
        }
        return (int) d;
    }

    private static boolean bool(JsonObject body, String name) {
        JsonElement e = field(body, name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException("'" + name + "' must be true or false, was " + e);
        }
        return e.getAsBoolean();
    }

    private static String string(JsonObject body, String name) {
        JsonElement e = field(body, name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("'" + name + "' must be a string, was " + e);
        }
        return e.getAsString();
    }
}
