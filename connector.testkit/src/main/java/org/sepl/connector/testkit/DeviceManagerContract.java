package org.sepl.connector.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;

/**
 * The {@link DeviceManager} contract, for every implementation: extend it and make {@link #manager()}.
 * Shipped in this module's test jar; connector.store.sqlite runs it too.
 */
public abstract class DeviceManagerContract {

    /** A new, empty manager for each test. */
    protected abstract DeviceManager manager() throws Exception;

    protected static Device lamp() {
        return new Device("lamp-1", "iot#lamp", "Lamp", Map.of("room", "kitchen"));
    }

    protected static List<String> ids(Collection<Device> devices) {
        return devices.stream().map(Device::id).collect(Collectors.toList());
    }

    @Test
    void addThenGetGivesAnEqualDeviceWithTheSameHash() throws Exception {
        DeviceManager m = manager();
        Device d = lamp();
        d.addTag("floor", "1");
        assertTrue(m.add(d));
        Device stored = m.get("lamp-1").orElseThrow();
        assertEquals(d.hash(), stored.hash());
        assertEquals(d.tags(), stored.tags());
        assertEquals(List.of("room:kitchen", "floor:1"), stored.tagsAsStrings(), "tag order kept");
    }

    @Test
    void addOfAnExistingIdReturnsFalseAndKeepsTheFirst() throws Exception {
        DeviceManager m = manager();
        assertTrue(m.add(lamp()));
        assertFalse(m.add(new Device("lamp-1", "iot#other", "Other")));
        assertEquals("Lamp", m.get("lamp-1").orElseThrow().name());
        assertEquals(1, m.devices().size());
    }

    @Test
    void updateReplacesAKnownDeviceAndIgnoresAnUnknownOne() throws Exception {
        DeviceManager m = manager();
        m.add(lamp());
        Device renamed = lamp();
        renamed.setName("Kitchen lamp");
        renamed.removeTag("room");
        assertTrue(m.update(renamed));
        assertEquals(renamed.hash(), m.get("lamp-1").orElseThrow().hash());
        assertFalse(m.update(new Device("ghost", "t", "Ghost")));
        assertTrue(m.get("ghost").isEmpty(), "update never adds");
    }

    @Test
    void removeReturnsWhetherThereWasADevice() throws Exception {
        DeviceManager m = manager();
        m.add(lamp());
        assertTrue(m.remove("lamp-1"));
        assertFalse(m.remove("lamp-1"));
        assertTrue(m.get("lamp-1").isEmpty());
    }

    @Test
    void devicesKeepsInsertionOrderAndIsASnapshot() throws Exception {
        DeviceManager m = manager();
        for (int i = 9; i >= 0; i--) {
            m.add(new Device("d" + i, "t", "n" + i));
        }
        m.update(new Device("d5", "t", "renamed"));
        Collection<Device> snapshot = m.devices();
        m.remove("d0");
        assertEquals(List.of("d9", "d8", "d7", "d6", "d5", "d4", "d3", "d2", "d1", "d0"), ids(snapshot));
        assertEquals(9, m.devices().size());
    }

    @Test
    void addAllSkipsExistingIdsAndCountsTheOthers() throws Exception {
        DeviceManager m = manager();
        m.add(lamp());
        assertEquals(2, m.addAll(List.of(new Device("a", "t", "A"), lamp(), new Device("b", "t", "B"))));
        assertEquals(List.of("lamp-1", "a", "b"), ids(m.devices()));
    }

    @Test
    void gatewayHashOfTheStoredDevicesEqualsThatOfTheAddedOnes() throws Exception {
        DeviceManager m = manager();
        List<Device> added = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Device d = new Device("dev-" + i, "iot#t" + (i % 3), "Device " + i);
            d.addTag("n", Integer.toString(i));
            added.add(d);
        }
        m.addAll(added);
        assertEquals(Device.gatewayHash(added), Device.gatewayHash(m.devices()));
    }

    @Test
    void nullArgumentsAreRefusedNamingTheArgumentAndChangeNothing() throws Exception {
        DeviceManager m = manager();
        assertTrue(assertThrows(NullPointerException.class, () -> m.add(null)).getMessage().contains("device"));
        assertTrue(assertThrows(NullPointerException.class, () -> m.update(null)).getMessage().contains("device"));
        assertTrue(assertThrows(NullPointerException.class, () -> m.remove(null)).getMessage().contains("deviceId"));
        assertTrue(assertThrows(NullPointerException.class, () -> m.get(null)).getMessage().contains("deviceId"));
        List<Device> withNull = new ArrayList<>();
        withNull.add(lamp());
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> m.addAll(withNull));
        assertEquals(List.of(), ids(m.devices()), "nothing of a refused addAll is kept");
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        DeviceManager m = manager();
        int threads = 4;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String id = "t" + thread + "-" + i;
                        assertTrue(m.add(new Device(id, "t", id)));
                        if (i % 2 == 0) {
                            assertTrue(m.update(new Device(id, "t", id + " updated")));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> ids = Set.copyOf(ids(m.devices()));
        assertEquals(threads * perThread, ids.size());
        assertEquals("t3-98 updated", m.get("t3-98").orElseThrow().name());
    }
}
