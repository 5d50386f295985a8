package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sqlite.SQLiteDataSource;

/**
 * {@code --import-python-client}: a Python connector-client folder, written the way the Python client writes it
 * (configparser's {@code key = value}; its DeviceStore schema and tag format), moves to the launcher and the
 * platform sees the same gateway with the same hash: no clear, no put.
 */
class PythonImportIT {

    private static final String GID = "6f1b2c3d-python-gateway";
    /** id, type, name, tags as the Python DeviceStore stores them ("key:value" joined by ";"). */
    private static final String[][] DEVICES = {
            { "lamp-1", "iot#lamp-type", "Kitchen lamp", "room:kitchen;floor:1" },
            { "meter-1", "iot#meter-type", "Meter", "" },
            { "sensor-7", "iot#sensor-type", "Büro Sensor", "unit:C" } };

    @TempDir
    Path workDir;

    @Test
    void theImportedGatewayConnectsWithTheSameIdAndHashAndNoResync() throws Exception {
        String hash = pythonGatewayHash(DEVICES);
        Path state = workDir.resolve("platform-state.json");
        Files.writeString(state, platformState(GID, "alice", hash, DEVICES));
        try (PlatformEmulator platform = PlatformEmulator.builder().port(0).user("alice", "s3c%ret").stateFile(state)
                .start()) {
            Path python = pythonClient(pythonConf(platform.port(), GID), DEVICES);

            LauncherProcess imported = LauncherProcess.run(workDir, "--import-python-client", python.toString());
            assertEquals(0, imported.exitValue(), imported.console());
            assertTrue(imported.console().contains("gateway id " + GID), imported.console());
            assertTrue(imported.console().contains("3 devices, gateway hash " + hash), imported.console());
            String cfg = Files.readString(workDir.resolve("conf/org.sepl.connector.client.cfg"));
            assertTrue(cfg.contains("user=alice") && cfg.contains(".password=$[secret:platform-password]\n")
                    && cfg.contains("port=" + platform.port()), cfg);
            assertFalse(cfg.contains("s3c%ret"), "the password goes to the secrets directory:\n" + cfg);
            Path passwordFile = workDir.resolve("secrets/platform-password");
            assertEquals("s3c%ret", Files.readString(passwordFile).strip());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            assertEquals("rwx------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(workDir.resolve("secrets"))));

            try (LauncherProcess gateway = LauncherProcess.start(workDir, List.of())) {
                gateway.awaitConsole("Ready", Duration.ofSeconds(60), s -> LauncherProcess.showsReady(s, GID));
                assertEquals(1, platform.gateways().size(), "no new gateway: " + platform.gateways());
                assertEquals(hash, platform.gateway(GID).orElseThrow().hash());
                assertEquals(0, platform.requestCount("clear"), gateway.console());
                assertEquals(0, platform.requestCount("put"), gateway.console());
                assertFalse(gateway.console().contains("SEPL connector demo"), gateway.console());
                gateway.terminate();
                gateway.awaitExit(Duration.ofSeconds(30));
            }
            assertEquals(hash, platform.gateway(GID).orElseThrow().hash(), "stopping changed the platform");
        }
    }

    @Test
    void aConfWithoutTheConnectorSectionIsRefusedNamingTheFile() throws Exception {
        Path python = pythonClient("[LOGGER]\nlevel = info\n\n", DEVICES);
        assertRefused(python, "connector.conf: no [CONNECTOR] section");
    }

    @Test
    void aBadPortIsRefusedNamingTheLine() throws Exception {
        Path python = pythonClient(pythonConf(0, GID).replace("port = 0", "port = eighty"), DEVICES);
        assertRefused(python, "connector.conf:4: port 'eighty' is not a number 1-65535");
    }

    @Test
    void anUnreadableDeviceStoreIsRefused() throws Exception {
        Path python = pythonClient(pythonConf(1, GID), new String[0][]);
        Files.writeString(python.resolve("modules/devices.sqlite"), "this is not a database");
        assertRefused(python, "devices.sqlite: not a SQLite database");
    }

    @Test
    void anInvalidTagIsRefusedNamingTheRow() throws Exception {
        String[][] devices = { DEVICES[0], { "bad-1", "iot#t", "Bad", "room:kitchen;no-colon" } };
        Path python = pythonClient(pythonConf(1, GID), devices);
        assertRefused(python, "row 2 of table devices (id 'bad-1'): tag 'no-colon' is not key:value");
    }

    private void assertRefused(Path python, String message) throws Exception {
        LauncherProcess imported = LauncherProcess.run(workDir, "--import-python-client", python.toString());
        assertEquals(1, imported.exitValue(), imported.console());
        assertTrue(imported.console().contains("import failed, nothing was written") && imported.console().contains(message),
                imported.console());
        assertFalse(Files.exists(workDir.resolve("conf/org.sepl.connector.client.cfg")), "a client cfg was written");
        assertFalse(Files.exists(workDir.resolve("secrets/platform-password")), "a password file was written");
        if (Files.exists(workDir.resolve("felix-cache"))) {
            try (Stream<Path> files = Files.walk(workDir.resolve("felix-cache"))) {
                List<Path> written = files.filter(f -> {
                    String name = f.getFileName().toString();
                    return name.startsWith("gateway-id-") || name.startsWith("devices.db");
                }).toList();
                assertEquals(List.of(), written, "gateway files were written");
            }
        }
    }

    /** connector/connector.conf as Python's configparser writes it. */
    private static String pythonConf(int port, String gid) {
        return "[CONNECTOR]\n"
                + "encryption = no\n"
                + "host = 127.0.0.1\n"
                + "port = " + port + "\n"
                + "user = alice\n"
                + "password = s3c%%ret\n"
                + "gid = " + gid + "\n"
                + "\n"
                + "[LOGGER]\n"
                + "level = info\n"
                + "rotating_log = no\n"
                + "rotating_log_backup_count = 14\n"
                + "\n";
    }

    /** A Python client folder; the DeviceStore database with its schema, rows inserted in order. */
    private Path pythonClient(String conf, String[][] devices) throws Exception {
        Path python = workDir.resolve("python-client");
        Files.createDirectories(python.resolve("connector"));
        Files.createDirectories(python.resolve("modules"));
        Files.writeString(python.resolve("connector/connector.conf"), conf, StandardCharsets.UTF_8);
        if (devices.length > 0) {
            SQLiteDataSource source = new SQLiteDataSource();
            source.setUrl("jdbc:sqlite:" + python.resolve("modules/devices.sqlite"));
            try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE devices (id TEXT PRIMARY KEY, type TEXT, name TEXT, tags TEXT)");
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO devices (id, type, name, tags) VALUES (?, ?, ?, ?)")) {
                    for (String[] d : devices) {
                        for (int i = 0; i < 4; i++) {
                            insert.setString(i + 1, d[i]);
                        }
                        insert.executeUpdate();
                    }
                }
            }
        }
        return python;
    }

    /** The Python client's gateway hash, computed here independently: SHA-1 of the sorted device SHA-1s. */
    private static String pythonGatewayHash(String[][] devices) throws Exception {
        List<String> hashes = new ArrayList<>();
        for (String[] d : devices) {
            StringBuilder input = new StringBuilder(d[0] + d[1] + d[2]);
            if (!d[3].isEmpty()) {
                for (String tag : d[3].split(";")) {
                    input.append(tag.replaceFirst(":", ""));
                }
            }
            hashes.add(sha1(input.toString()));
        }
        hashes.sort(null);
        return sha1(String.join("", hashes));
    }

    private static String sha1(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The emulator's state file: the gateway as the Python client left it on the platform. */
    private static String platformState(String gid, String user, String hash, String[][] devices) {
        StringBuilder uris = new StringBuilder();
        StringBuilder platformDevices = new StringBuilder();
        for (String[] d : devices) {
            if (uris.length() > 0) {
                uris.append(',');
                platformDevices.append(',');
            }
            uris.append('"').append(d[0]).append('"');
            StringBuilder tags = new StringBuilder();
            if (!d[3].isEmpty()) {
                for (String tag : d[3].split(";")) {
                    tags.append(tags.length() > 0 ? "," : "").append('"').append(tag).append('"');
                }
            }
            platformDevices.append("{\"uri\":\"").append(d[0]).append("\",\"name\":\"").append(d[2])
                    .append("\",\"iot_type\":\"").append(d[1]).append("\",\"tags\":[").append(tags).append("]}");
        }
        return "{\"gateways\":[{\"id\":\"" + gid + "\",\"user\":\"" + user + "\",\"hash\":\"" + hash
                + "\",\"devices\":[" + uris + "],\"committed\":[" + uris + "]}],"
                + "\"devices\":{\"" + user + "\":[" + platformDevices + "]}}";
    }
}
