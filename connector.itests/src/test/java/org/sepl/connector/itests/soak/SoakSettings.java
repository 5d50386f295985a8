package org.sepl.connector.itests.soak;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The soak's settings, from system properties ({@code mvn ... -Dsoak.duration=PT1H -Dsoak.seed=42}); a bad value
 * fails the test at once naming the property, the value and what is allowed.
 *
 * @param duration         how long the chaos lasts ({@value #DURATION}, default {@code PT2M}, at least {@code PT1M}),
 *                         followed by a quiet end of up to a couple of minutes
 * @param seed             the seed of every random choice of the run ({@value #SEED}, default: a random one, printed
 *                         at start so that a run can be replayed)
 * @param eventsPerSecond  the gateway's event stream ({@value #EVENTS_PER_SECOND}, default 100)
 * @param commandsPerSecond the platform's commands ({@value #COMMANDS_PER_SECOND}, default 5)
 */
record SoakSettings(Duration duration, long seed, int eventsPerSecond, int commandsPerSecond) {

    static final String DURATION = "soak.duration";
    static final String SEED = "soak.seed";
    static final String EVENTS_PER_SECOND = "soak.eventsPerSecond";
    static final String COMMANDS_PER_SECOND = "soak.commandsPerSecond";
    private static final Duration SHORTEST = Duration.ofMinutes(1);

    static SoakSettings from(Properties p) {
        return new SoakSettings(duration(p.getProperty(DURATION, "PT2M")), seed(p.getProperty(SEED)),
                rate(p, EVENTS_PER_SECOND, 100, 2_000), rate(p, COMMANDS_PER_SECOND, 5, 200));
    }

    /**
     * How often the gateway samples its resources: about 60 samples over the run, at least every 5 s, so that a
     * 2-minute run still has a steady stretch to compare with its end.
     */
    long sampleMillis() {
        return Math.max(5_000, duration.toMillis() / 60);
    }

    /** Platform faults, kills and swaps come this often on average (pauses drawn between 0.5 and 1.5 times it). */
    Duration meanPause() {
        return Duration.ofMillis(2_500);
    }

    private static Duration duration(String value) {
        Duration d;
        try {
            d = Duration.parse(value);
        } catch (DateTimeParseException e) {
            d = null;
        }
        if (d == null || d.compareTo(SHORTEST) < 0) {
            throw new IllegalArgumentException("system property '" + DURATION + "' = \"" + value + "\": expected an "
                    + "ISO-8601 duration of at least " + SHORTEST + ", e.g. PT2M or PT1H");
        }
        return d;
    }

    private static long seed(String value) {
        if (value == null || value.isBlank()) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property '" + SEED + "' = \"" + value + "\": expected a whole "
                    + "number (a 64-bit seed, as printed by an earlier run)", e);
        }
    }

    private static int rate(Properties p, String name, int fallback, int max) {
        String value = p.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property '" + name + "' = \"" + value + "\": expected a whole "
                + "number from 1 to " + max + " (per second)");
    }
}
