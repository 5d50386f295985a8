package org.sepl.connector.impl.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Device;

class DeviceLedgerTest {

    @Test
    void theIncrementalHashAlwaysEqualsTheFullHash() {
        Random random = new Random(42);
        DeviceLedger ledger = new DeviceLedger();
        Map<String, Device> reference = new LinkedHashMap<>();
        assertEquals(Device.EMPTY_GATEWAY_HASH, ledger.gatewayHash());
        for (int i = 0; i < 3000; i++) {
            String id = "d-" + random.nextInt(300);
            if (random.nextInt(4) == 0) {
                ledger.remove(id);
                reference.remove(id);
            } else {
                Device d = new Device(id, "iot#t", "name " + random.nextInt(5), Map.of("room", "r" + random.nextInt(3)));
                ledger.put(d);
                reference.put(id, d);
            }
            if (i % 97 == 0) {
                assertEquals(Device.gatewayHash(reference.values()), ledger.gatewayHash(), "after step " + i);
            }
        }
        assertEquals(Device.gatewayHash(reference.values()), ledger.gatewayHash());
        assertEquals(reference.size(), ledger.size());
        assertEquals(Device.gatewayHash(reference.values()), new DeviceLedger(ledger.devices()).gatewayHash());
    }

    @Test
    void itHoldsExactlyTheDevicesItWasBuiltFromAndNothingThatDiffers() {
        Device a = new Device("a", "iot#t", "A", Map.of("room", "r1"));
        Device b = new Device("b", "iot#t", "B");
        DeviceLedger ledger = new DeviceLedger(List.of(a, b));
        assertTrue(ledger.holdsExactly(List.of(b, a)), "same devices, any order");
        assertFalse(ledger.holdsExactly(List.of(a)), "one missing");
        assertFalse(ledger.holdsExactly(List.of(a, b, new Device("c", "iot#t", "C"))), "one more");
        assertFalse(ledger.holdsExactly(List.of(a, new Device("b", "iot#t", "B renamed"))), "a name changed");
        assertFalse(ledger.holdsExactly(List.of(a, new Device("b", "iot#t", "B", Map.of("room", "r2")))), "a tag added");
        assertFalse(ledger.holdsExactly(List.of(a, new Device("c", "iot#t", "B"))), "another id");
    }

    @Test
    void theLedgerKeepsACopyNotTheCallersDevice() {
        Device lamp = new Device("lamp", "iot#lamp", "Lamp");
        DeviceLedger ledger = new DeviceLedger();
        ledger.put(lamp);
        String before = ledger.gatewayHash();
        lamp.setName("renamed locally, not published");
        assertEquals(before, new DeviceLedger(ledger.devices()).gatewayHash());
    }

    @Test
    void theHashStaysRightAcrossCheckpointsWhateverPositionChanges() {
        Random random = new Random(7);
        Map<String, Device> reference = new LinkedHashMap<>();
        for (int i = 0; i < 5 * DeviceLedger.CHECKPOINT_DEVICES + 17; i++) {
            reference.put("d-" + i, new Device("d-" + i, "iot#t", "n"));
        }
        DeviceLedger ledger = new DeviceLedger(reference.values());
        assertEquals(Device.gatewayHash(reference.values()), ledger.gatewayHash());
        for (int step = 0; step < 400; step++) {
            String id = "d-" + random.nextInt(reference.size() + 40);
            if (random.nextInt(3) == 0) {
                ledger.remove(id);
                reference.remove(id);
            } else {
                Device d = new Device(id, "iot#t", "name " + step);
                ledger.put(d);
                reference.put(id, d);
            }
            assertEquals(Device.gatewayHash(reference.values()), ledger.gatewayHash(), "after step " + step);
            if (step % 50 == 0) {
                assertEquals(ledger.gatewayHash(), ledger.copy().gatewayHash());
            }
        }
    }

    @Test
    void theBulkConstructorKeepsTheLaterOfTwoDevicesWithOneId() {
        Device first = new Device("x", "iot#t", "first");
        Device second = new Device("x", "iot#t", "second");
        DeviceLedger ledger = new DeviceLedger(java.util.List.of(first, second));
        assertEquals(1, ledger.size());
        assertEquals(Device.gatewayHash(java.util.List.of(second)), ledger.gatewayHash());
    }
}
