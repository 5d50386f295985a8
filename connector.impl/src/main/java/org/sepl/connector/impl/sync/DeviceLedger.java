package org.sepl.connector.impl.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.sepl.connector.api.Device;

/**
 * The devices the platform holds for this gateway on the current link, with their hashes, and the gateway hash
 * kept incrementally (docs/PROTOCOL.md §7): a change costs one device hash, one binary search and one move of the
 * sorted array, never a pass over every device's fields.
 * <p>
 * The device hashes are kept as one sorted array of their hex bytes; the gateway hash is SHA-1 over it. SHA-1 is
 * sequential, so a change at sorted position {@code i} forces a rehash from {@code i} on, but never of the part
 * before it: the digest's state is kept at every {@value #CHECKPOINT_DEVICES} devices ({@value #CHECKPOINT_DEVICES}
 * × 40 bytes is a whole number of SHA-1 blocks, so a saved state has nothing buffered), and a new hash starts at
 * the last state before the first changed position. On average an added or removed device rehashes half the array,
 * a changed one (its hash moves from one random position to another) two thirds, instead of all of it. Not thread-safe: its owner confines it.
 */
public final class DeviceLedger {

    private static final int HEX = 40;
    /**
     * 256 devices = 10,240 bytes = 160 SHA-1 blocks of 64 bytes: rehashing up to that much more than needed costs
     * less than saving four times as many states (each a clone) along a rehash.
     */
    static final int CHECKPOINT_DEVICES = 256;
    private static final int CHECKPOINT_BYTES = CHECKPOINT_DEVICES * HEX;

    private final Map<String, Entry> byId = new HashMap<>();
    private byte[] sorted = new byte[HEX * 16];
    private int count;
    private String gatewayHash;
    /** checkpoints[k - 1] is the digest state after the first k × CHECKPOINT_DEVICES hashes; never updated itself. */
    private MessageDigest[] checkpoints = new MessageDigest[0];
    /** how many leading checkpoints still describe the current array */
    private int validCheckpoints;

    private record Entry(Device device, byte[] hash) {
    }

    public DeviceLedger() {
    }

    /** All devices at once: hashed, sorted once (not inserted one by one); of two with one id the later wins. */
    public DeviceLedger(Collection<? extends Device> devices) {
        for (Device d : devices) {
            Entry e = entry(d);
            byId.put(e.device.id(), e);
        }
        byte[][] hashes = new byte[byId.size()][];
        int n = 0;
        for (Entry e : byId.values()) {
            hashes[n++] = e.hash;
        }
        Arrays.sort(hashes, Arrays::compare);
        sorted = new byte[Math.max(HEX * 16, n * HEX)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(hashes[i], 0, sorted, i * HEX, HEX);
        }
        count = n;
    }

    /** @return a copy, for another owner */
    public DeviceLedger copy() {
        DeviceLedger c = new DeviceLedger();
        c.byId.putAll(byId);
        c.sorted = sorted.clone();
        c.count = count;
        c.gatewayHash = gatewayHash;
        c.checkpoints = checkpoints.clone(); // the states themselves are only ever cloned, never updated: shareable
        c.validCheckpoints = validCheckpoints;
        return c;
    }

    public int size() {
        return byId.size();
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    /**
     * @return whether {@code devices} are exactly this ledger's devices, each with the same content (then its hashes
     *         are theirs): one lookup and one comparison per device, no hashing
     */
    public boolean holdsExactly(Collection<? extends Device> devices) {
        if (devices.size() != byId.size()) {
            return false;
        }
        for (Device d : devices) {
            Entry e = byId.get(d.id());
            if (e == null || !e.device.equals(d)) {
                return false;
            }
        }
        return true;
    }

    /** @return copies of the devices as the platform has them */
    public List<Device> devices() {
        return byId.values().stream().map(e -> e.device).toList();
    }

    /** @return the ledger's own copy of the device (not to be changed), or null */
    Device device(String id) {
        Entry e = byId.get(id);
        return e == null ? null : e.device;
    }

    /** Adds or replaces the device with this id (a copy is kept: callers may change theirs). */
    public void put(Device device) {
        Entry e = entry(device);
        Entry old = byId.put(e.device.id(), e);
        if (old != null) {
            if (Arrays.equals(old.hash, e.hash)) {
                return; // same content: the sorted hashes and the gateway hash stay as they are
            }
            replaceHash(old.hash, e.hash);
        } else {
            insertHash(e.hash);
        }
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
            gatewayHash = HexFormat.of().formatHex(digestFromCheckpoint());
        }
        return gatewayHash;
    }

    private byte[] digestFromCheckpoint() {
        int full = count / CHECKPOINT_DEVICES;
        if (checkpoints.length < full) {
            checkpoints = Arrays.copyOf(checkpoints, Math.max(full, checkpoints.length * 2));
        }
        int k = Math.min(validCheckpoints, full);
        MessageDigest sha1 = k == 0 ? newSha1() : cloneOf(checkpoints[k - 1]);
        for (; k < full; k++) {
            sha1.update(sorted, k * CHECKPOINT_BYTES, CHECKPOINT_BYTES);
            checkpoints[k] = cloneOf(sha1);
        }
        validCheckpoints = full;
        sha1.update(sorted, full * CHECKPOINT_BYTES, count * HEX - full * CHECKPOINT_BYTES);
        return sha1.digest();
    }

    private static Entry entry(Device device) {
        Device copy = new Device(device.id(), device.type(), device.name(), device.tags());
        return new Entry(copy, copy.hash().getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }

    private static MessageDigest cloneOf(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JVM's SHA-1 cannot be cloned", e);
        }
    }

    private void changedAt(int index) {
        gatewayHash = null;
        // checkpoint k covers positions [0, k × CHECKPOINT_DEVICES): still right if that ends at or before index
        validCheckpoints = Math.min(validCheckpoints, index / CHECKPOINT_DEVICES);
    }

    private void insertHash(byte[] hash) {
        int at = search(hash);
        if (at < 0) {
            at = -at - 1;
        }
        if ((count + 1) * HEX > sorted.length) {
            sorted = Arrays.copyOf(sorted, Math.max(sorted.length * 2, (count + 1) * HEX));
        }
        System.arraycopy(sorted, at * HEX, sorted, (at + 1) * HEX, (count - at) * HEX);
        System.arraycopy(hash, 0, sorted, at * HEX, HEX);
        count++;
        changedAt(at);
    }

    /** One move of the hashes between the old and the new position, instead of a removal and an insertion. */
    private void replaceHash(byte[] old, byte[] hash) {
        int from = search(old);
        if (from < 0) {
            throw new IllegalStateException("ledger out of order: hash not found");
        }
        int found = search(hash);
        if (found >= 0) {
            throw new IllegalStateException("ledger out of order: the new hash is there already");
        }
        int at = -found - 1;
        int to;
        if (at > from) {
            to = at - 1;
            System.arraycopy(sorted, (from + 1) * HEX, sorted, from * HEX, (to - from) * HEX);
        } else {
            to = at;
            System.arraycopy(sorted, to * HEX, sorted, (to + 1) * HEX, (from - to) * HEX);
        }
        System.arraycopy(hash, 0, sorted, to * HEX, HEX);
        changedAt(Math.min(from, to));
    }

    private void removeHash(byte[] hash) {
        int at = search(hash);
        if (at < 0) {
            throw new IllegalStateException("ledger out of order: hash not found");
        }
        System.arraycopy(sorted, (at + 1) * HEX, sorted, at * HEX, (count - at - 1) * HEX);
        count--;
        changedAt(at);
    }

    /** Binary search over the sorted hashes; as {@link Arrays#binarySearch}. */
    private int search(byte[] hash) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compare(sorted, mid * HEX, mid * HEX + HEX, hash, 0, HEX);
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
