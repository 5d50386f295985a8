package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a Python client's connector.conf as its configparser does, and saying where it is wrong. */
class PythonClientFolderTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatConfigparserWrites() throws IOException {
        PythonClientFolder.Connector c = PythonClientFolder.readConf(conf("""
                [CONNECTOR]
                encryption = yes
                host = platform.example.org
                port = 8443
                user = alice
                password = 50%% off
                gid = 1234-abcd

                [LOGGER]
                level = info
                rotating_log = no
                rotating_log_backup_count = 14

                """));
        assertEquals("platform.example.org", c.host());
        assertEquals(8443, c.port());
        assertTrue(c.encryption());
        assertEquals("alice", c.user());
        assertEquals("50% off", c.password());
        assertEquals("1234-abcd", c.gid());
        assertFalse(c.toString().contains("50%"), "toString must not show the password");
    }

    @Test
    void acceptsColonsCommentsAnyKeyCaseAndTheOlderProtocolKey() throws IOException {
        PythonClientFolder.Connector c = PythonClientFolder.readConf(conf("""
                # written by hand
                [CONNECTOR]
                ; the old way
                PROTOCOL: ws
                Host: 10.0.0.2
                port: 80
                user = bob
                password = pw
                """));
        assertFalse(c.encryption());
        assertEquals("10.0.0.2", c.host());
        assertEquals("", c.gid(), "a client that never connected has no gid");
    }

    @Test
    void problemsNameTheFileAndLine() throws IOException {
        assertProblem("[CONNECTOR]\nhost = h\nport = 1\nencryption = maybe\n", ":4: encryption 'maybe' must be yes or no");
        assertProblem("[CONNECTOR]\nencryption = no\nhost = h\nport = 99999\n", ":4: port '99999' is not a number 1-65535");
        assertProblem("[CONNECTOR]\nencryption = no\nhost = h\nport = 1\nuser = u\n", ":1: [CONNECTOR] has no 'password'");
        assertProblem("[CONNECTOR]\nhost = h\nhost = i\n", ":3: 'host' appears twice (also line 2)");
        assertProblem("host = h\n[CONNECTOR]\n", ":1: 'host = h' comes before any [section]");
        assertProblem("[CONNECTOR]\nencryption = no\nhost = h\nport = 1\nuser = u\npassword = 100%\n",
                ":6: '%' must be written '%%'");
        assertProblem("[LOGGER]\nlevel = info\n", ": no [CONNECTOR] section (sections found: LOGGER)");
    }

    @Test
    void findsTheConfInTheClientFolderOrACopyOfIt() throws IOException {
        assertEquals(null, PythonClientFolder.findConnectorConf(dir));
        Files.writeString(dir.resolve("connector.conf"), "[CONNECTOR]\n");
        assertEquals(dir.resolve("connector.conf"), PythonClientFolder.findConnectorConf(dir));
        Files.createDirectories(dir.resolve("connector"));
        Files.writeString(dir.resolve("connector/connector.conf"), "[CONNECTOR]\n");
        assertEquals(dir.resolve("connector/connector.conf"), PythonClientFolder.findConnectorConf(dir));
    }

    private void assertProblem(String text, String expected) throws IOException {
        Path file = conf(text);
        ImportException e = assertThrows(ImportException.class, () -> PythonClientFolder.readConf(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    private Path conf(String text) throws IOException {
        return Files.writeString(dir.resolve("connector.conf"), text);
    }
}
