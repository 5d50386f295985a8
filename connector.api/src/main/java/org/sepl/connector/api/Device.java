package org.sepl.connector.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A device of the gateway, as the platform knows it: a gateway-local id, a platform device type,
 * a name, and tags kept in insertion order.
 * <p>
 * The {@link #hash() hash} is the one the platform compares during synchronisation, computed exactly as
 * the original connector-client does (SHA-1 of {@code id + type + name + tagId1 + tagValue1 + ...}).
 * <p>
 * <b>Threads.</b> Instances are mutable (name and tags) and safe to use from several threads: each
 * method is atomic, and {@link #tags()} returns a snapshot. A change made to a device is <em>not</em>
 * sent anywhere by itself: pass the device to {@link ConnectorClient#update(Device)}.
 * <p>
 * <b>Subclassing.</b> Gateways may subclass {@code Device} to carry their own state (a driver handle,
 * an address). Only id, type, name and tags take part in the hash and are sent to the platform.
 * Persistent device managers store only those four, and give back plain {@code Device}s.
 * <p>
 * <b>Validation.</b> A {@code null} or invalid argument throws {@link NullPointerException} or
 * {@link IllegalArgumentException} whose message names the argument and the rule it broke; the
 * device is left unchanged.
 */
@ConsumerType
public class Device {

    /** Tag ids the platform reserves for itself; {@link #addTag} refuses them. */
    public static final Set<String> RESERVED_TAG_IDS = Set.of("device_name", "device_type");

    /** The gateway hash of no devices: SHA-1 of the empty string. */
    public static final String EMPTY_GATEWAY_HASH = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

    private final String id;
    private final String type;
    private String name;
    private final LinkedHashMap<String, String> tags = new LinkedHashMap<>();

    /**
     * @param id   gateway-local id, sent as the device's {@code uri}; not empty or blank
     * @param type the platform device type id (e.g. {@code iot#d66ec9bc-...}); must already exist on the platform
     * @param name a human-readable name; may be empty
     * @throws NullPointerException     if an argument is null (the message names it)
     * @throws IllegalArgumentException if {@code id} or {@code type} is empty or blank
     */
    public Device(String id, String type, String name) {
        this.id = requireNonBlank(id, "id");
        this.type = requireNonBlank(type, "type");
        this.name = Objects.requireNonNull(name, "name must not be null");
    }

    /**
     * Creates a device with the given tags, in the map's iteration order.
     *
     * @throws IllegalArgumentException if a tag breaks the rules of {@link #addTag}
     */
    public Device(String id, String type, String name, Map<String, String> tags) {
        this(id, type, name);
        Objects.requireNonNull(tags, "tags must not be null");
        tags.forEach((tagId, value) -> {
            checkTag(tagId, value);
            this.tags.put(tagId, value);
        });
    }

    /** @return the gateway-local id; never changes */
    public final String id() {
        return id;
    }

    /** @return the platform device type id; never changes (the platform never changes it either) */
    public final String type() {
        return type;
    }

    /** @return the current name */
    public final synchronized String name() {
        return name;
    }

    /**
     * Renames the device locally. Call {@link ConnectorClient#update(Device)} to publish it.
     *
     * @throws NullPointerException if {@code name} is null
     */
    public final synchronized void setName(String name) {
        this.name = Objects.requireNonNull(name, "name must not be null");
    }

    /** @return a snapshot of the tags, in insertion order; changing it does not change the device */
    public final synchronized Map<String, String> tags() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** @return the value of a tag, or {@code null} if the device has no such tag */
    public final synchronized String tag(String tagId) {
        return tags.get(tagId);
    }

    /**
     * Adds a tag at the end of the tag list.
     *
     * @param tagId the tag's id: not empty, no {@code :} or {@code ;}, not {@code device_name} or {@code device_type}
     * @param value the tag's value: no {@code :} or {@code ;} (may be empty)
     * @return {@code true} if added; {@code false} if the device already has a tag with this id (nothing changed,
     *         use {@link #changeTag})
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if an argument breaks a rule above
     */
    public final synchronized boolean addTag(String tagId, String value) {
        checkTag(tagId, value);
        return tags.putIfAbsent(tagId, value) == null;
    }

    /**
     * Changes the value of an existing tag; the tag keeps its position.
     *
     * @return {@code true} if changed; {@code false} if the device has no tag with this id (nothing changed)
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code value} contains {@code :} or {@code ;}
     */
    public final synchronized boolean changeTag(String tagId, String value) {
        checkTag(tagId, value);
        return tags.replace(tagId, value) != null;
    }

    /**
     * Removes a tag.
     *
     * @return {@code true} if removed; {@code false} if the device had no tag with this id
     * @throws NullPointerException if {@code tagId} is null
     */
    public final synchronized boolean removeTag(String tagId) {
        Objects.requireNonNull(tagId, "tagId must not be null");
        return tags.remove(tagId) != null;
    }

    /**
     * The tags as the platform's {@code put} request carries them: {@code "tagId:value"}, in insertion order.
     */
    public final synchronized List<String> tagsAsStrings() {
        List<String> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(k + ':' + v));
        return out;
    }

    /**
     * The device hash: SHA-1, lower-case hex, of the UTF-8 bytes of {@code id + type + name} followed by each
     * tag's id and value in insertion order, with no separators (docs/PROTOCOL.md §7).
     */
    public final synchronized String hash() {
        StringBuilder input = new StringBuilder(id.length() + type.length() + name.length() + 16 * tags.size());
        input.append(id).append(type).append(name);
        tags.forEach((k, v) -> input.append(k).append(v));
        return sha1Hex(input.toString());
    }

    /**
     * The gateway hash of a set of devices: SHA-1, lower-case hex, of the concatenated device hashes sorted in
     * ascending order. No devices give {@link #EMPTY_GATEWAY_HASH}.
     *
     * @throws NullPointerException if {@code devices} or one of its elements is null
     */
    public static String gatewayHash(Collection<? extends Device> devices) {
        Objects.requireNonNull(devices, "devices must not be null");
        List<String> hashes = new ArrayList<>(devices.size());
        for (Device device : devices) {
            hashes.add(Objects.requireNonNull(device, "devices must not contain null").hash());
        }
        return gatewayHashOfDeviceHashes(hashes);
    }

    /**
     * The gateway hash from device hashes already computed (for stores that keep them); the list is not changed.
     */
    public static String gatewayHashOfDeviceHashes(Collection<String> deviceHashes) {
        List<String> sorted = new ArrayList<>(deviceHashes);
        Collections.sort(sorted);
        return sha1Hex(String.join("", sorted));
    }

    /**
     * Checks a tag against the platform's rules.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException naming the argument and the rule it breaks
     */
    public static void checkTag(String tagId, String value) {
        Objects.requireNonNull(tagId, "tagId must not be null");
        Objects.requireNonNull(value, "value must not be null");
        if (tagId.isEmpty()) {
            throw new IllegalArgumentException("tagId must not be empty");
        }
        if (RESERVED_TAG_IDS.contains(tagId)) {
            throw new IllegalArgumentException("tagId '" + tagId + "' is reserved by the platform");
        }
        if (containsSeparator(tagId)) {
            throw new IllegalArgumentException("tagId '" + tagId + "' must not contain ':' or ';'");
        }
        if (containsSeparator(value)) {
            throw new IllegalArgumentException("value of tag '" + tagId + "' must not contain ':' or ';'");
        }
    }

    private static boolean containsSeparator(String s) {
        return s.indexOf(':') >= 0 || s.indexOf(';') >= 0;
    }

    private static String requireNonBlank(String value, String argument) {
        Objects.requireNonNull(value, () -> argument + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(argument + " must not be empty or blank");
        }
        return value;
    }

    private static String sha1Hex(String input) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Equal when id, type, name and tags (with their order) are equal, i.e. when the hashes are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Device other)) {
            return false;
        }
        // Snapshots, so that two threads comparing a.equals(b) and b.equals(a) never hold both locks.
        return id.equals(other.id) && type.equals(other.type) && name().equals(other.name())
                && tagsAsStrings().equals(other.tagsAsStrings());
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public synchronized String toString() {
        return getClass().getSimpleName() + "[id=" + id + ", type=" + type + ", name=" + name + ", tags=" + tags + "]";
    }
}
