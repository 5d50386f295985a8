package org.sepl.connector.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sepl.connector.emulator.GatewayRegistry.StoredDevice;
import org.sepl.connector.emulator.GatewayRegistry.StoredGateway;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The optional JSON file that keeps gateways, devices and hashes across restarts ({@code Builder.stateFile}):
 * read at start, written (atomically, by a rename) at most once a second when something changed, and at close.
 */
final class StateFile {

    private static final System.Logger LOG = System.getLogger(StateFile.class.getName());

    private final Path file;
    private final Gson gson;

    StateFile(Path file, Gson gson) {
        this.file = file;
        this.gson = gson;
    }

    /** Fills {@code registry} from the file, if it exists. */
    void loadInto(GatewayRegistry registry) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException("state file " + file + " is not an emulator state: " + e.getMessage(), e);
        }
        List<StoredGateway> gateways = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("gateways")) {
            JsonObject o = e.getAsJsonObject();
            StoredGateway g = new StoredGateway(o.get("id").getAsString(), o.get("user").getAsString());
            g.hash = o.get("hash").getAsString();
            o.getAsJsonArray("devices").forEach(d -> g.devices.add(d.getAsString()));
            o.getAsJsonArray("committed").forEach(d -> g.committed.add(d.getAsString()));
            gateways.add(g);
        }
        Map<String, Map<String, StoredDevice>> devicesByUser = new HashMap<>();
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
        registry.restore(gateways, devicesByUser);
    }

    /** Writes the file if the registry changed since the last save; logs (and retries next time) if it cannot. */
    void saveIfDirty(GatewayRegistry registry) {
        String json = registry.snapshotIfDirty((gateways, devices) -> gson.toJson(toJson(gateways, devices)));
        if (json == null) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot save the state to " + file, e);
            registry.markDirty();
        }
    }

    private JsonObject toJson(Collection<StoredGateway> gateways, Map<String, Map<String, StoredDevice>> devicesByUser) {
        JsonObject root = new JsonObject();
        JsonArray gs = new JsonArray();
        for (StoredGateway g : gateways) {
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
}
