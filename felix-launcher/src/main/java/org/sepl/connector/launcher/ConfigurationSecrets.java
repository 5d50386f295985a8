package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How passwords reach the configurations without being written in them: Apache Felix's Config Admin interpolation
 * plugin ({@value #PLUGIN}, embedded, started with Config Admin) replaces {@code $[env:NAME]} by an environment
 * variable and {@code $[secret:FILE]} by the content of a file of the secrets directory when Config Admin hands a
 * configuration to a component. Config Admin keeps, and shows, the placeholder; only the component sees the value.
 * <p>
 * This class gives the plugin its framework properties (the secrets directory, and Config Admin waits for the
 * plugin so that no configuration is ever handed over uninterpolated), writes the placeholders and escapes the
 * literal passwords the launcher writes itself, and warns about a secrets directory other users can read.
 */
final class ConfigurationSecrets {

    /** The plugin's bundle symbolic name and {@code config.plugin.id}. */
    static final String PLUGIN = "org.apache.felix.configadmin.plugin.interpolation";
    /** The plugin's framework property naming the secrets directories (a comma-separated list). */
    static final String SECRETS_DIR_PROPERTY = PLUGIN + ".secretsdir";
    /** Felix Config Admin: the configuration plugins it waits for before it hands out any configuration. */
    static final String REQUIRED_PLUGINS_PROPERTY = "felix.cm.config.plugins";
    private static final System.Logger LOG = System.getLogger(ConfigurationSecrets.class.getName());

    private ConfigurationSecrets() {
    }

    /** @return the framework properties of the plugin, reading {@code $[secret:FILE]} from {@code secretsDir} */
    static Map<String, Object> frameworkProperties(Path secretsDir) {
        return Map.of(SECRETS_DIR_PROPERTY, secretsDir.toAbsolutePath().toString(),
                REQUIRED_PLUGINS_PROPERTY, PLUGIN);
    }

    /** @return {@code $[env:NAME]} */
    static String environmentPlaceholder(String name) {
        return "$[env:" + name + "]";
    }

    /** @return {@code $[secret:FILE]} */
    static String secretPlaceholder(String file) {
        return "$[secret:" + file + "]";
    }

    /**
     * @return {@code value} with every {@code $[} escaped as {@code \$[}, so that the plugin hands it over as it is
     *         (a password given literally is not a placeholder, even if it happens to look like one)
     */
    static String literal(String value) {
        return value.replace("$[", "\\$[");
    }

    /**
     * Logs a warning when other users (not the owner, not the group: the Debian package gives the gateway's group
     * read access) can read a secret: the secrets directory open to them, or a file readable by them in a directory
     * they can enter. Says nothing when the directory does not exist.
     */
    static void warnIfReadableByOthers(Path secretsDir) {
        if (!Files.isDirectory(secretsDir)) {
            return;
        }
        Set<PosixFilePermission> directory = permissions(secretsDir);
        if (directory.contains(PosixFilePermission.OTHERS_READ)) {
            LOG.log(System.Logger.Level.WARNING, secretsDir.toAbsolutePath() + " can be listed by every local user: "
                    + "chmod o-rwx it (the secrets directory should be rwx------ or rwxr-x---)");
        }
        if (!directory.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            return;
        }
        try (Stream<Path> files = Files.list(secretsDir)) {
            files.filter(f -> permissions(f).contains(PosixFilePermission.OTHERS_READ)).forEach(file ->
                    LOG.log(System.Logger.Level.WARNING, file.toAbsolutePath() + " can be read by every local user: "
                            + "chmod o-rwx it, and the secrets directory too"));
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot check the permissions of " + secretsDir.toAbsolutePath() + ": "
                    + e.getMessage());
        }
    }

    /** @return the POSIX permissions, or none where they cannot be read */
    private static Set<PosixFilePermission> permissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path);
        } catch (IOException | UnsupportedOperationException e) {
            return Set.of();
        }
    }
}
