package org.sepl.connector.emulator;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The requests that synchronise a gateway's device list (docs/PROTOCOL.md §4, §6): {@code clear}, {@code put},
 * {@code disconnect}, {@code delete} and {@code commit}. Checks each payload and answers with the platform's
 * status codes; the state lives in the {@link GatewayRegistry}.
 */
final class DeviceRequests {

    private final GatewayRegistry registry;
    private final WireCodec codec;

    DeviceRequests(GatewayRegistry registry, WireCodec codec) {
        this.registry = registry;
        this.codec = codec;
    }

    /** Forgets the gateway's devices and hash. */
    Outcome clear(Session s, String token) {
        return registry.clear(s) ? Outcome.ok(codec, s, token) : gone(s, token);
    }

    /** Creates or updates a device; 400 without {@code uri}/{@code iot_type} or with a malformed tag. */
    Outcome put(Session s, String token, JsonElement payload) throws BadRequest {
        JsonObject p = WireCodec.object(payload, "put payload");
        String uri = WireCodec.required(p, "uri");
        String type = WireCodec.required(p, "iot_type");
        String name = p.has("name") && !p.get("name").isJsonNull() ? WireCodec.string(p.get("name")) : "";
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
                String text = WireCodec.string(tag);
                int colon = text == null ? -1 : text.indexOf(':');
                if (colon <= 0 || text.indexOf(':', colon + 1) >= 0 || text.indexOf(';') >= 0) {
                    throw new BadRequest("invalid tag " + tag + ": expected \"id:value\" without ':' or ';' in either part");
                }
                tags.add(new String[] {text.substring(0, colon), text.substring(colon + 1)});
            }
        }
        return registry.put(s, uri, name, type, tags) ? Outcome.ok(codec, s, token) : gone(s, token);
    }

    /** 500 if this connection does not listen to the device. */
    Outcome disconnect(Session s, String token, JsonElement payload) throws BadRequest {
        String uri = WireCodec.stringPayload(payload, "disconnect payload (the device id)");
        if (!registry.disconnect(s, uri)) {
            return Outcome.answer(codec, s, 500, token, new JsonPrimitive("not listening to device '" + uri + "'"));
        }
        return Outcome.ok(codec, s, token);
    }

    /** 500 for a device the account does not have. */
    Outcome delete(Session s, String token, JsonElement payload) throws BadRequest {
        String uri = WireCodec.stringPayload(payload, "delete payload (the device id)");
        if (!registry.delete(s, uri)) {
            return Outcome.answer(codec, s, 500, token, new JsonPrimitive("unknown device '" + uri + "'"));
        }
        return Outcome.ok(codec, s, token);
    }

    /** Stores the hash and binds what this connection listens to; 400 if the payload is not a string. */
    Outcome commit(Session s, String token, JsonElement payload) {
        if (!payload.isJsonPrimitive() || !payload.getAsJsonPrimitive().isString()) {
            return Outcome.answer(codec, s, 400, token, new JsonPrimitive("commit payload must be the gateway hash as a string"));
        }
        return registry.commit(s, payload.getAsString()) ? Outcome.ok(codec, s, token) : gone(s, token);
    }

    private Outcome gone(Session s, String token) {
        return Outcome.answer(codec, s, 500, token, new JsonPrimitive("gateway " + s.gatewayId + " no longer exists"));
    }
}
