package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets in configurations: placeholders, literal passwords, a secrets directory others could read. */
class ConfigurationSecretsTest {

    @TempDir
    Path dir;

    @Test
    void literalPasswordsAreNeverInterpolated() {
        assertEquals("pa\\$[env:HOME]ss", ConfigurationSecrets.literal("pa$[env:HOME]ss"));
        assertEquals("plain $ [x]", ConfigurationSecrets.literal("plain $ [x]"));
        assertEquals("$[env:SEPL_PASSWORD]", ConfigurationSecrets.environmentPlaceholder("SEPL_PASSWORD"));
    }

    @Test
    void aSecretOtherUsersCanReadIsWarnedAbout() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Path file = Files.writeString(secrets.resolve("platform-password"), "pw\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxr-x---"));
        assertEquals(List.of(), warnings(secrets), "the Debian package's layout: others cannot enter the directory");

        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(List.of(secrets.toAbsolutePath() + " can be listed by every local user: chmod o-rwx it (the "
                + "secrets directory should be rwx------ or rwxr-x---)", file.toAbsolutePath() + " can be read by every "
                + "local user: chmod o-rwx it, and the secrets directory too"), warnings(secrets));

        assertEquals(List.of(), warnings(dir.resolve("none")), "no secrets directory, nothing to say");
    }

    private static List<String> warnings(Path secrets) {
        Logger logger = Logger.getLogger(ConfigurationSecrets.class.getName());
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            ConfigurationSecrets.warnIfReadableByOthers(secrets);
        } finally {
            logger.removeHandler(capture);
        }
        return messages;
    }
}
