package org.sepl.connector.emulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * What the platform knows about gateways and devices, and which open session listens to which device: the state
 * the handlers change and the state file keeps. Devices belong to the account (user); each gateway lists the
 * devices it put since its last {@code clear}, and the set its last {@code commit} bound. Everything is guarded by
 * this object's lock, held briefly (no I/O under it).
 */
final class GatewayRegistry {

    /** A device of an account. */
    static final class StoredDevice {
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

    /** A gateway: its devices, the hash and the devices of its last commit. */
    static final class StoredGateway {
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

    /** The gateway a handshake bound a session to. */
    record Binding(String gatewayId, String hash) {
    }

    private final Map<String, StoredGateway> gateways = new LinkedHashMap<>();
    private final Map<String, Map<String, StoredDevice>> devicesByUser = new HashMap<>();
    private final Set<Session> sessions = new LinkedHashSet<>();
    private boolean dirty; // changed since the state file was last written

    // ---- sessions -------------------------------------------------------------------------------------------

    synchronized Session open(Object connection, String clientAddress) {
        Session s = new Session(connection, clientAddress);
        sessions.add(s);
        return s;
    }

    synchronized void closed(Session s) {
        sessions.remove(s);
    }

    synchronized List<Session> sessions() {
        return new ArrayList<>(sessions);
    }

    /** Binds {@code s} to gateway {@code gid} of {@code user}, or to a new one if that is not {@code user}'s. */
    synchronized Binding bind(Session s, String user, String gid) {
        StoredGateway g = gid == null ? null : gateways.get(gid);
        if (g == null || !g.user.equals(user)) {
            g = new StoredGateway(UUID.randomUUID().toString(), user);
            gateways.put(g.id, g);
            dirty = true;
        }
        s.user = user;
        s.gatewayId = g.id;
        s.listenToCommitted(g);
        return new Binding(g.id, g.hash);
    }

    synchronized boolean listens(Session s, String deviceUri) {
        return s.listening.contains(deviceUri);
    }

    /** The sessions that listen to the device now. */
    synchronized List<Session> listeners(String deviceUri) {
        List<Session> targets = new ArrayList<>();
        for (Session s : sessions) {
            if (s.listening.contains(deviceUri)) {
                targets.add(s);
            }
        }
        return targets;
    }

    // ---- changes (§4); false: the session's gateway no longer exists (a reset came between) ------------------

    synchronized boolean clear(Session s) {
        StoredGateway g = gateways.get(s.gatewayId);
        if (g == null) {
            return false;
        }
        g.devices.clear();
        g.committed.clear();
        g.committedVersion++;
        g.hash = "";
        s.listenToCommitted(g);
        dirty = true;
        return true;
    }

    /** Creates or updates the device: name updated, tags merged (the gateway's win per key), type never changed. */
    synchronized boolean put(Session s, String uri, String name, String type, List<String[]> tags) {
        StoredGateway g = gateways.get(s.gatewayId);
        if (g == null) {
            return false;
        }
        Map<String, StoredDevice> devices = devicesByUser.computeIfAbsent(s.user, u -> new HashMap<>());
        StoredDevice d = devices.get(uri);
        if (d == null) {
            d = new StoredDevice(uri, name, type);
            devices.put(uri, d);
        } else {
            d.name = name;
        }
        for (String[] tag : tags) {
            d.tags.put(tag[0], tag[1]);
        }
        g.devices.add(uri);
        s.listen(uri);
        dirty = true;
        return true;
    }

    /** @return false if {@code s} does not listen to the device */
    synchronized boolean disconnect(Session s, String uri) {
        return s.unlisten(uri);
    }

    /** Forgets the account's device everywhere. @return false if the account has no such device */
    synchronized boolean delete(Session s, String uri) {
        Map<String, StoredDevice> devices = devicesByUser.getOrDefault(s.user, Map.of());
        if (devices.remove(uri) == null) {
            return false;
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
        return true;
    }

    synchronized boolean commit(Session s, String hash) {
        StoredGateway g = gateways.get(s.gatewayId);
        if (g == null) {
            return false;
        }
        g.hash = hash;
        s.commitTo(g);
        dirty = true;
        return true;
    }

    /** Every open session listens to nothing any more (a restart dropped them; their close may still be on its way). */
    synchronized void forgetListening() {
        for (Session s : sessions) {
            s.unlistenAll();
        }
    }

    /** Forgets every gateway and device; open sessions stay, listening to nothing. */
    synchronized void reset() {
        gateways.clear();
        devicesByUser.clear();
        for (Session s : sessions) {
            s.unlistenAll();
        }
        dirty = true;
    }

    // ---- views ----------------------------------------------------------------------------------------------

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

    // ---- for the state file ---------------------------------------------------------------------------------

    /** {@code writer}'s picture of the gateways and devices if something changed since the last one, else null. */
    synchronized <T> T snapshotIfDirty(BiFunction<Collection<StoredGateway>, Map<String, Map<String, StoredDevice>>, T> writer) {
        if (!dirty) {
            return null;
        }
        dirty = false;
        return writer.apply(gateways.values(), devicesByUser);
    }

    /** The last snapshot was not written: take the next one anyway. */
    synchronized void markDirty() {
        dirty = true;
    }

    /** Replaces gateways and devices with these (from the state file). */
    synchronized void restore(Collection<StoredGateway> storedGateways, Map<String, Map<String, StoredDevice>> storedDevices) {
        gateways.clear();
        devicesByUser.clear();
        storedGateways.forEach(g -> gateways.put(g.id, g));
        devicesByUser.putAll(storedDevices);
    }
}
