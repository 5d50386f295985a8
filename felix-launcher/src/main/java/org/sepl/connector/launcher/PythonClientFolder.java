package org.sepl.connector.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The folder of a Python SEPL connector-client: {@code connector/connector.conf} (Python {@code configparser}
 * format, section {@code [CONNECTOR]}: host, port, encryption, user, password, gid) and, when the gateway used the
 * persistent device manager, {@code modules/devices.sqlite}. Reads the conf; reports every problem with the file and
 * line. Pure Java.
 */
final class PythonClientFolder {

    static final Path CONNECTOR_CONF = Path.of("connector", "connector.conf");
    static final Path DEVICE_STORE = Path.of("modules", "devices.sqlite");
    static final String SECTION = "CONNECTOR";

    /**
     * The {@code [CONNECTOR]} section.
     *
     * @param gid the gateway id the platform gave the Python client, empty if it never connected
     */
    record Connector(String host, int port, boolean encryption, String user, String password, String gid) {
        /** Never shows the password. */
        @Override
        public String toString() {
            return "Connector[" + (encryption ? "wss://" : "ws://") + host + ":" + port + ", user=" + user + ", gid="
                    + gid + "]";
        }
    }

    /** A value of the conf and the line it is on. */
    private record Value(String text, int line) {
    }

    private PythonClientFolder() {
    }

    /**
     * @return the connector.conf of a Python client in {@code dir} ({@code dir/connector/connector.conf}, or
     *         {@code dir/connector.conf} for a copy of the file), or null if there is none
     */
    static Path findConnectorConf(Path dir) {
        for (Path candidate : List.of(dir.resolve(CONNECTOR_CONF), dir.resolve(CONNECTOR_CONF.getFileName()))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Reads the {@code [CONNECTOR]} section as the Python client does ({@code configparser}: {@code key = value} or
     * {@code key: value}, keys in any case, {@code #} and {@code ;} comments, {@code %%} for {@code %}).
     *
     * @throws ImportException naming the file and line of a missing section or key, or of a bad value
     */
    static Connector readConf(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
        Map<String, Integer> sectionLines = new HashMap<>();
        Map<String, Value> section = null;
        String lastKey = null;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String raw = lines.get(i);
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                lastKey = null;
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && section != null && lastKey != null) {
                // configparser: an indented line continues the previous value
                Value previous = section.get(lastKey);
                section.put(lastKey, new Value(previous.text() + "\n" + line, previous.line()));
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                String name = line.substring(1, line.length() - 1);
                if (sections.containsKey(name)) {
                    throw new ImportException(file + ":" + number + ": section [" + name + "] appears twice (also line "
                            + sectionLines.get(name) + ")");
                }
                section = new LinkedHashMap<>();
                sections.put(name, section);
                sectionLines.put(name, number);
                lastKey = null;
                continue;
            }
            int separator = firstSeparator(line);
            if (separator <= 0) {
                throw new ImportException(file + ":" + number + ": not a 'key = value' line: '" + quote(line) + "'");
            }
            if (section == null) {
                throw new ImportException(file + ":" + number + ": '" + quote(line) + "' comes before any [section]");
            }
            String key = line.substring(0, separator).strip().toLowerCase(Locale.ROOT);
            if (section.containsKey(key)) {
                throw new ImportException(file + ":" + number + ": '" + key + "' appears twice (also line "
                        + section.get(key).line() + ")");
            }
            section.put(key, new Value(line.substring(separator + 1).strip(), number));
            lastKey = key;
        }
        Map<String, Value> connector = sections.get(SECTION);
        if (connector == null) {
            throw new ImportException(file + ": no [" + SECTION + "] section (sections found: "
                    + (sections.isEmpty() ? "none" : String.join(", ", sections.keySet())) + ")");
        }
        int sectionLine = sectionLines.get(SECTION);
        String host = required(file, sectionLine, connector, "host");
        Value port = connector.get("port");
        int portNumber = port(file, sectionLine, port);
        boolean encryption = encryption(file, sectionLine, connector);
        String user = required(file, sectionLine, connector, "user");
        String password = required(file, sectionLine, connector, "password");
        Value gid = connector.get("gid");
        return new Connector(host, portNumber, encryption, user, password,
                gid == null ? "" : interpolate(file, gid));
    }

    private static int firstSeparator(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    private static String required(Path file, int sectionLine, Map<String, Value> section, String key) {
        Value value = section.get(key);
        if (value == null) {
            throw new ImportException(file + ":" + sectionLine + ": [" + SECTION + "] has no '" + key + "'");
        }
        String text = interpolate(file, value);
        if (text.isEmpty()) {
            throw new ImportException(file + ":" + value.line() + ": '" + key + "' is empty");
        }
        return text;
    }

    private static int port(Path file, int sectionLine, Value port) {
        if (port == null) {
            throw new ImportException(file + ":" + sectionLine + ": [" + SECTION + "] has no 'port'");
        }
        try {
            int number = Integer.parseInt(port.text());
            if (number >= 1 && number <= 65535) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ImportException(file + ":" + port.line() + ": port '" + quote(port.text())
                + "' is not a number 1-65535");
    }

    /** {@code encryption = yes|no}; older clients wrote {@code protocol = ws|wss}. */
    private static boolean encryption(Path file, int sectionLine, Map<String, Value> section) {
        Value encryption = section.get("encryption");
        if (encryption != null) {
            return switch (encryption.text().toLowerCase(Locale.ROOT)) {
                case "yes" -> true;
                case "no" -> false;
                default -> throw new ImportException(file + ":" + encryption.line() + ": encryption '"
                        + quote(encryption.text()) + "' must be yes or no");
            };
        }
        Value protocol = section.get("protocol");
        if (protocol != null) {
            return switch (protocol.text().toLowerCase(Locale.ROOT)) {
                case "wss" -> true;
                case "ws" -> false;
                default -> throw new ImportException(file + ":" + protocol.line() + ": protocol '"
                        + quote(protocol.text()) + "' must be ws or wss");
            };
        }
        throw new ImportException(file + ":" + sectionLine + ": [" + SECTION + "] has no 'encryption'");
    }

    /** configparser's basic interpolation: {@code %%} is {@code %}; references are not supported here. */
    private static String interpolate(Path file, Value value) {
        String text = value.text();
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                out.append(c);
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '%') {
                out.append('%');
                i++;
            } else {
                throw new ImportException(file + ":" + value.line() + ": '%' must be written '%%' (configparser "
                        + "interpolation); %(name)s references are not supported by the import");
            }
        }
        return out.toString();
    }

    /** Short, with control characters escaped, for error messages. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 80; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return s.length() > out.length() ? out + "..." : out.toString();
    }
}
