package org.sepl.connector.emulator;

import org.sepl.connector.emulator.PlatformEmulator.Event;

import com.google.gson.JsonPrimitive;

/**
 * The {@code event} request (docs/PROTOCOL.md §4): accepted (200) if this connection listens to the device, else
 * 400; recorded in the {@link History} either way, with that status. Any service id is accepted (the emulator
 * knows no device types).
 */
final class EventRequests {

    private final GatewayRegistry registry;
    private final History history;
    private final WireCodec codec;

    EventRequests(GatewayRegistry registry, History history, WireCodec codec) {
        this.registry = registry;
        this.history = history;
        this.codec = codec;
    }

    Outcome event(Session s, String token, WireCodec.EventRequest e) throws BadRequest {
        if (e.device() == null || e.device().isEmpty()) {
            throw new BadRequest("'device_uri' must be a non-empty string");
        }
        if (e.service() == null || e.service().isEmpty()) {
            throw new BadRequest("'service_uri' must be a non-empty string");
        }
        boolean listened = registry.listens(s, e.device());
        history.event(new Event(s.gatewayId, e.device(), e.service(), e.data(), e.metadata(), listened ? 200 : 400));
        if (!listened) {
            return Outcome.answer(codec, s, 400, token, new JsonPrimitive("device '" + e.device() + "' is not connected on this connection"));
        }
        return Outcome.ok(codec, s, token);
    }
}
