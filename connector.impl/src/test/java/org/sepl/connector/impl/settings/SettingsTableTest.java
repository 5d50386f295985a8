package org.sepl.connector.impl.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The README's settings table is the one list of settings, as {@link ClientSettings#ALL} defines it: every property,
 * its default and its description, in order. On a failure the message holds the table to paste.
 */
class SettingsTableTest {

    static String table() {
        return "| property | default | meaning |\n| --- | --- | --- |\n" + ClientSettings.ALL.stream()
                .map(s -> "| `" + s.property() + "` | " + shown(s) + " | " + s.description() + " |")
                .collect(Collectors.joining("\n"));
    }

    private static String shown(Setting<?> s) {
        if (s.required()) {
            return "(required)";
        }
        Object d = s.defaultValue();
        return d instanceof String text && text.isEmpty() ? "(empty)" : "`" + d + "`";
    }

    @Test
    void readmeTableListsEverySettingAsDefined() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("| property | default | meaning |");
        assertTrue(start >= 0, "README has no settings table");
        int end = readme.indexOf("\n\n", start);
        String actual = readme.substring(start, end < 0 ? readme.length() : end).strip();
        assertEquals(table(), actual, "connector.impl/README.md's settings table; it should read:\n" + table());
    }
}
