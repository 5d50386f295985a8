package org.sepl.connector.impl.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.WireCodec;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.store.sqlite.SqliteDeviceManager;

/**
 * The device store bundle stops while the user changes devices: the changes go to the successor at once (never to
 * the store being closed), and the copy of the old devices, which runs later on the changes lane, undoes none of them.
 * The lane is held up here so that the user's changes fall between the switch and the copy.
 */
class DeviceManagerHandOverTest {

    @TempDir
    Path dir;
    private ExecutorService lane;
    private final CountDownLatch release = new CountDownLatch(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private DeviceChangePublisher publisher;
    private DeviceManagerHandOver handOver;
    private SqliteDeviceManager sqlite;

    @BeforeEach
    void holdTheLane() {
        lane = Executors.newSingleThreadExecutor();
        publisher = new DeviceChangePublisher(new WireCodec(), new RequestTracker(10, 3), lane);
        handOver = new DeviceManagerHandOver(null, lane, publisher);
        sqlite = SqliteDeviceManager.open(dir.resolve("devices.db"));
        sqlite.add(new Device("kept", "t", "kept"));
        sqlite.add(new Device("deleted-meanwhile", "t", "to delete"));
        sqlite.add(new Device("renamed-meanwhile", "t", "old name"));
        handOver.replace(sqlite, null); // the first one: in use at once
        lane.execute(() -> {
            try {
                release.await(30, TimeUnit.SECONDS); // a synchronisation still publishing, say
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        lane.shutdownNow();
        sqlite.close();
    }

    @Test
    void changesMadeWhileTheStoreGoesAwayLandInItsSuccessorAndTheCopyUndoesNone() throws Exception {
        InMemoryDeviceManager memory = new InMemoryDeviceManager();
        handOver.replace(memory, sqlite.devices()); // DS unbind: its devices read while it can be
        sqlite.close(); // the store bundle's deactivation

        // the user's calls, as ConnectorClient.add/delete make them (not connected: applied to the manager only)
        DeviceChanges changes = new DeviceChanges(handOver, publisher, () -> false, () -> false);
        changes.add(new Device("added-meanwhile", "t", "new"), TIMEOUT);
        changes.delete("deleted-meanwhile", TIMEOUT);
        changes.add(new Device("renamed-meanwhile", "t", "new name"), TIMEOUT);
        assertSame(memory, handOver.current());

        release.countDown();
        handOver.awaitReplacements();

        assertEquals(Set.of("kept: kept", "added-meanwhile: new", "renamed-meanwhile: new name"), names(memory));
    }

    @Test
    void aCommandForADeviceNotCopiedYetFindsItInTheOldStoresLastList() {
        InMemoryDeviceManager memory = new InMemoryDeviceManager();
        handOver.replace(memory, handOver.goingAway(sqlite));
        sqlite.close();
        handOver.change("deleted-meanwhile", m -> m.remove("deleted-meanwhile"));

        assertEquals(Optional.of(new Device("kept", "t", "kept")), handOver.device("kept"),
                "a command for a device not copied yet finds it in the old store's last list");
        assertEquals(Optional.empty(), handOver.device("deleted-meanwhile"));
    }

    @Test
    void twoSwapsBeforeTheFirstCopyLeaveEveryDeviceInTheLastManager() throws Exception {
        InMemoryDeviceManager first = new InMemoryDeviceManager();
        handOver.replace(first, handOver.goingAway(sqlite));
        sqlite.close();
        SqliteDeviceManager reopened = SqliteDeviceManager.open(dir.resolve("other.db"));
        try {
            handOver.replace(reopened, null); // a better one appears before the first copy ran
            handOver.replace(new InMemoryDeviceManager(), handOver.goingAway(reopened)); // and goes again
            reopened.close();

            release.countDown();
            handOver.awaitReplacements();

            assertEquals(Set.of("kept: kept", "deleted-meanwhile: to delete", "renamed-meanwhile: old name"),
                    names(handOver.current()));
        } finally {
            reopened.close();
        }
    }

    @Test
    void aChangeBeforeAnyManagerSaysSo() {
        DeviceManagerHandOver none = new DeviceManagerHandOver(null, lane,
                new DeviceChangePublisher(new WireCodec(), new RequestTracker(10, 3), lane));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> none.change("d", m -> m.remove("d")));
        assertTrue(e.getMessage().contains("no device manager yet"), e.getMessage());
        assertFalse(none.device("d").isPresent());
    }

    private static Set<String> names(DeviceManager manager) {
        return manager.devices().stream().map(d -> d.id() + ": " + d.name()).collect(Collectors.toSet());
    }
}
