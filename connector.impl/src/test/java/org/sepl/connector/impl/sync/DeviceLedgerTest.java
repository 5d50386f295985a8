package org.sepl.connector.impl.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
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
    void theLedgerKeepsACopyNotTheCallersDevice() {
        Device lamp = new Device("lamp", "iot#lamp", "Lamp");
        DeviceLedger ledger = new DeviceLedger();
        ledger.put(lamp);
        String before = ledger.gatewayHash();
        lamp.setName("renamed locally, not published");
        assertEquals(before, new DeviceLedger(ledger.devices()).gatewayHash());
    }
}
