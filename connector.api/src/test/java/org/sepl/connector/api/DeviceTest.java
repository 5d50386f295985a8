package org.sepl.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTest {

    private final Device lamp = new Device("lamp-1", "iot#lamp", "Lamp");

    @Test
    void constructorNamesTheNullArgument() {
        assertTrue(assertThrows(NullPointerException.class, () -> new Device(null, "t", "n")).getMessage().contains("id"));
        assertTrue(assertThrows(NullPointerException.class, () -> new Device("i", null, "n")).getMessage().contains("type"));
        assertTrue(assertThrows(NullPointerException.class, () -> new Device("i", "t", null)).getMessage().contains("name"));
    }

    @Test
    void blankIdOrTypeIsRefusedButEmptyNameIsFine() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Device(" ", "t", "n")).getMessage().contains("id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Device("i", "", "n")).getMessage().contains("type"));
        assertEquals("", new Device("i", "t", "").name());
    }

    @Test
    void addTagRefusesDuplicatesWithoutChangingTheValue() {
        assertTrue(lamp.addTag("room", "kitchen"));
        assertFalse(lamp.addTag("room", "hall"));
        assertEquals("kitchen", lamp.tag("room"));
    }

    @Test
    void changeAndRemoveOfUnknownTagsReturnFalse() {
        assertFalse(lamp.changeTag("nope", "x"));
        assertFalse(lamp.removeTag("nope"));
        assertEquals(Map.of(), lamp.tags());
    }

    @ParameterizedTest
    @ValueSource(strings = {"device_name", "device_type"})
    void reservedTagIdsAreRefused(String reserved) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lamp.addTag(reserved, "x"));
        assertTrue(e.getMessage().contains(reserved) && e.getMessage().contains("reserved"), e.getMessage());
        assertTrue(lamp.tags().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b", "a;b", ":", ";"})
    void separatorsAreRefusedInIdAndValue(String bad) {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lamp.addTag(bad, "v")).getMessage().contains("tagId"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lamp.addTag("k", bad)).getMessage().contains("value"));
        lamp.addTag("k", "ok");
        assertThrows(IllegalArgumentException.class, () -> lamp.changeTag("k", bad));
        assertEquals("ok", lamp.tag("k"));
    }

    @Test
    void nullTagArgumentsAreNamed() {
        assertTrue(assertThrows(NullPointerException.class, () -> lamp.addTag(null, "v")).getMessage().contains("tagId"));
        assertTrue(assertThrows(NullPointerException.class, () -> lamp.addTag("k", null)).getMessage().contains("value"));
        assertTrue(assertThrows(NullPointerException.class, () -> lamp.removeTag(null)).getMessage().contains("tagId"));
    }

    @Test
    void tagsSnapshotIsDetachedAndOrdered() {
        lamp.addTag("b", "2");
        lamp.addTag("a", "1");
        Map<String, String> snapshot = lamp.tags();
        lamp.removeTag("b");
        assertEquals(List.of("b", "a"), List.copyOf(snapshot.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> snapshot.put("c", "3"));
    }

    @Test
    void renameChangesTheHash() {
        String before = lamp.hash();
        lamp.setName("Kitchen lamp");
        assertNotEquals(before, lamp.hash());
        assertThrows(NullPointerException.class, () -> lamp.setName(null));
    }

    @Test
    void constructorWithTagsKeepsMapOrderAndValidates() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("z", "1");
        tags.put("a", "2");
        assertEquals(List.of("z:1", "a:2"), new Device("i", "t", "n", tags).tagsAsStrings());
        tags.put("device_type", "x");
        assertThrows(IllegalArgumentException.class, () -> new Device("i", "t", "n", tags));
    }

    @Test
    void subclassKeepsTheHashOfItsFields() {
        class ZWaveDevice extends Device {
            final int nodeId;

            ZWaveDevice(int nodeId) {
                super("zway-" + nodeId, "iot#switch", "Switch " + nodeId);
                this.nodeId = nodeId;
            }
        }
        ZWaveDevice z = new ZWaveDevice(7);
        assertEquals(new Device("zway-7", "iot#switch", "Switch 7").hash(), z.hash());
        assertEquals(new Device("zway-7", "iot#switch", "Switch 7"), z);
    }

    @Test
    void equalityIsByFieldsNotByConcatenation() {
        assertNotEquals(new Device("ab", "c", "n"), new Device("a", "bc", "n"));
        assertEquals(new Device("ab", "c", "n").hash(), new Device("a", "bc", "n").hash());
    }

    @Test
    void gatewayHashOfNothingIsSha1OfEmptyString() {
        assertEquals(Device.EMPTY_GATEWAY_HASH, Device.gatewayHash(List.of()));
        assertThrows(NullPointerException.class, () -> Device.gatewayHash(null));
    }
}
