package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data area: owner-only, one launcher at a time (across processes: {@code RunningServiceIT}). */
class DataAreaTest {

    @TempDir
    Path dir;

    @Test
    void aNewDataAreaIsOwnerOnlyAndAnOpenOneIsMadeSo() throws Exception {
        Path fresh = dir.resolve("felix-cache");
        assertNull(DataArea.makeOwnerOnly(fresh));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals("rwxr-xr-x", DataArea.makeOwnerOnly(fresh));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        assertNull(DataArea.makeOwnerOnly(fresh), "nothing to change");
    }

    @Test
    void aLockedDataAreaIsRefusedNamingTheLock() throws Exception {
        Path cache = dir.resolve("felix-cache");
        try (DataArea first = DataArea.lock(cache)) {
            GatewayStartException e = assertThrows(GatewayStartException.class, () -> DataArea.lock(cache));
            assertTrue(e.getMessage().contains(cache.resolve(DataArea.LOCK_FILE).toAbsolutePath().toString()),
                    e.getMessage());
        }
        DataArea.lock(cache).close(); // released
    }
}
