package org.sepl.connector.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's settings table names every configuration property with the default the metatype declares. */
class SettingsTableTest {

    @Test
    void readmeTableMatchesTheConfigurationType() throws Exception {
        String all = Files.readString(Path.of("README.md"));
        int start = all.indexOf("| property | default | meaning |");
        assertTrue(start >= 0, "README has no settings table");
        int end = all.indexOf("\n\n", start);
        String readme = all.substring(start, end < 0 ? all.length() : end);
        Map<String, String> table = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([.A-Za-z]+)` \\| ([^|]+) \\|").matcher(readme);
        while (row.find()) {
            table.put(row.group(1), row.group(2).trim());
        }
        for (Method m : ClientConfiguration.class.getDeclaredMethods()) {
            String property = m.getName().startsWith("_") ? "." + m.getName().substring(1) : m.getName();
            assertTrue(table.containsKey(property), "README lacks property " + property);
            Object def = m.getDefaultValue();
            String cell = table.get(property);
            if (def == null) {
                assertEquals("(required)", cell, property);
            } else if (!(def instanceof String s) || !s.isEmpty()) {
                assertEquals("`" + def + "`", cell, property);
            }
        }
        assertEquals(ClientConfiguration.class.getDeclaredMethods().length, table.size(), "rows without a property: " + table.keySet());
    }
}
