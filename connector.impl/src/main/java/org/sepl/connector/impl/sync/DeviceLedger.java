package org.sepl.connector.impl.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.sepl.connector.api.Device;

/**
 * The devices the platform holds for this gateway on the current link, with their hashes, and the gateway hash
 * kept incrementally (docs/PROTOCOL.md §7): a change costs one device hash and one binary search, never a pass over
 * every device's fields. The device hashes are kept as one sorted array of their hex bytes, so the gateway hash is
 * a single SHA-1 over it (cached until the next change). Not thread-safe: its owner confines it.
 */
public final class DeviceLedger {

    private static final int HEX = 40;

    private final Map<String, Entry> byId = new HashMap<>();
    private byte[] sorted = new byte[HEX * 16];
    private int count;
    private String gatewayHash;

    private record Entry(Device device, byte[] hash) {
    }

    public DeviceLedger() {
    }

    public DeviceLedger(Collection<? extends Device> devices) {
        for (Device d : devices) {
            put(d);
        }
    }

    /** @return a copy, for another owner */
    public DeviceLedger copy() {
        DeviceLedger c = new DeviceLedger();
        c.byId.putAll(byId);
        c.sorted = sorted.clone();
        c.count = count;
        c.gatewayHash = gatewayHash;
        return c;
    }

    public int size() {
        return byId.size();
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    /** @return copies of the devices as the platform has them */
    public List<Device> devices() {
        return byId.values().stream().map(e -> e.device).toList();
    }

    /** Adds or replaces the device with this id (a copy is kept: callers may change theirs). */
    public void put(Device device) {
        Device copy = new Device(device.id(), device.type(), device.name(), device.tags());
        byte[] hash = copy.hash().getBytes(StandardCharsets.US_ASCII);
        Entry old = byId.put(copy.id(), new Entry(copy, hash));
        if (old != null) {
            removeHash(old.hash);
        }
        insertHash(hash);
    }

    /** @return true if it was there */
    public boolean remove(String id) {
        Entry old = byId.remove(id);
        if (old == null) {
            return false;
        }
        removeHash(old.hash);
        return true;
    }

    /** The gateway hash of these devices, equal to {@link Device#gatewayHash} of them. */
    public String gatewayHash() {
        if (gatewayHash == null) {
            try {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                sha1.update(sorted, 0, count * HEX);
                gatewayHash = HexFormat.of().formatHex(sha1.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JVM has no SHA-1", e);
            }
        }
        return gatewayHash;
    }

    private void insertHash(byte[] hash) {
        int at = search(hash);
        if (at < 0) {
            at = -at - 1;
        }
        if ((count + 1) * HEX > sorted.length) {
            sorted = java.util.Arrays.copyOf(sorted, Math.max(sorted.length * 2, (count + 1) * HEX));
        }
        System.arraycopy(sorted, at * HEX, sorted, (at + 1) * HEX, (count - at) * HEX);
        System.arraycopy(hash, 0, sorted, at * HEX, HEX);
        count++;
        gatewayHash = null;
    }

    private void removeHash(byte[] hash) {
        int at = search(hash);
        if (at < 0) {
            throw new IllegalStateException("ledger out of order: hash not found");
        }
        System.arraycopy(sorted, (at + 1) * HEX, sorted, at * HEX, (count - at - 1) * HEX);
        count--;
        gatewayHash = null;
    }

    /** Binary search over the sorted hashes; as {@link java.util.Arrays#binarySearch}. */
    private int search(byte[] hash) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = java.util.Arrays.compare(sorted, mid * HEX, mid * HEX + HEX, hash, 0, HEX);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
