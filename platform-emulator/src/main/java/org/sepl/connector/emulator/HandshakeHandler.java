package org.sepl.connector.emulator;

import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

/**
 * The handshake (docs/PROTOCOL.md §2): the first frame must be the credentials of an account. A refusal (wrong
 * user or password, not the credentials object, or the {@code rejectHandshakes} fault) drops the TCP connection
 * without reply and without close frame, as the real endpoint does. An empty, unknown or other user's
 * {@code gid} gets a new gateway; the answer carries the gateway's id and the hash of its last commit.
 */
final class HandshakeHandler {

    private static final System.Logger LOG = System.getLogger(HandshakeHandler.class.getName());

    private final Map<String, String> users;
    private final GatewayRegistry registry;
    private final WireCodec codec;
    private final FaultInjector faults;

    HandshakeHandler(Map<String, String> users, GatewayRegistry registry, WireCodec codec, FaultInjector faults) {
        this.users = Map.copyOf(users);
        this.registry = registry;
        this.codec = codec;
        this.faults = faults;
    }

    Outcome handshake(Session s, String text) {
        JsonObject credentials = WireCodec.credentials(text);
        if (credentials == null) {
            return Outcome.DROP;
        }
        if (faults.rejectingHandshakes()) {
            faults.count(FaultKind.HANDSHAKE_REJECTED);
            return Outcome.DROP;
        }
        String user = WireCodec.string(credentials.get("user"));
        String password = WireCodec.string(credentials.get("pw"));
        String gid = WireCodec.string(credentials.get("gid"));
        String token = WireCodec.string(credentials.get("token"));
        // before the password check: a limit on attempts also holds back a client that keeps guessing
        if (!faults.admitConnection(user, s.clientAddress)) {
            LOG.log(System.Logger.Level.INFO, "Connection attempt of user {0} from {1} throttled", WireCodec.quoted(user),
                    s.clientAddress);
            return Outcome.DROP;
        }
        if (user == null || password == null || !password.equals(users.get(user))) {
            LOG.log(System.Logger.Level.INFO, "Handshake refused for user {0}", WireCodec.quoted(user));
            return Outcome.DROP;
        }
        GatewayRegistry.Binding binding = registry.bind(s, user, gid);
        JsonObject payload = new JsonObject();
        payload.addProperty("gid", binding.gatewayId());
        payload.addProperty("hash", binding.hash());
        return new Outcome(List.of(codec.reply(200, token == null ? "" : token, payload)), Outcome.Action.NONE);
    }
}
