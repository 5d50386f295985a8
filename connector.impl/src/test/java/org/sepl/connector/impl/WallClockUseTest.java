package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Back-off, timeouts, keep-alive, rate limits, deadlines and every other wait of the client are measured on the
 * monotonic clock ({@code System.nanoTime}, the scheduled executors, {@code TimeUnit} waits), so that a gateway clock
 * set forward or back (a Raspberry Pi without a real-time clock boots in the past, then NTP moves it by years) changes
 * none of them. This test keeps it so: the wall clock is read in these places only, each for a reason.
 */
class WallClockUseTest {

    private static final Pattern WALL_CLOCK = Pattern.compile(
            "System\\.currentTimeMillis|Instant\\.now\\(|Clock\\.system|new Date\\(|(LocalDateTime|ZonedDateTime|OffsetDateTime|LocalDate|LocalTime)\\.now\\(");

    /** Source file (under src/main/java/org/sepl/connector/impl) → why it reads the wall clock. */
    private static final Map<String, String> ALLOWED = Map.of(
            "ClientAssembly.java", "the clock of command ages (CommandAge: a wrong clock is learnt from command times)",
            "osgi/ConnectorClientComponent.java", "the status properties' once-a-second throttle (a clock set back "
                    + "does not hold them back; set forward, one update comes early)",
            "connection/ConnectionStatus.java", "when a state was entered, shown to people",
            "connection/TlsContextSource.java", "whether the client certificate is valid now: a question about the wall clock");

    @Test
    void theWallClockIsReadOnlyWhereItMeansTheTimeOfDay() throws IOException {
        Path root = Path.of("src/main/java/org/sepl/connector/impl");
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = WALL_CLOCK.matcher(Files.readString(f));
                if (m.find()) {
                    String name = root.relativize(f).toString().replace('\\', '/');
                    found.put(name, ALLOWED.getOrDefault(name, "NOT ALLOWED: " + m.group()
                            + " (measure durations with System.nanoTime)"));
                }
            }
        }
        assertEquals(new TreeMap<>(ALLOWED), found);
    }
}
