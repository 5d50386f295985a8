package org.sepl.connector.impl.ratelimit;

import org.sepl.connector.impl.ClientSettings;

/**
 * The allowed values of the client's {@code rateLimitAverage} and {@code rateLimitBurst} settings, worded once: the
 * builder and the OSGi configuration check refuse the same values with the same words. The bounds are
 * {@link ClientSettings#RATE_LIMIT_AVERAGE_MIN} and {@link ClientSettings#RATE_LIMIT_BURST_MIN}.
 */
public final class RateLimitSettings {

    /** Name of the average setting (builder and configuration property). */
    public static final String AVERAGE = "rateLimitAverage";
    /** Name of the burst setting (builder and configuration property). */
    public static final String BURST = "rateLimitBurst";

    /** What {@value #AVERAGE} may be. */
    public static final String AVERAGE_ALLOWED = "must be a finite number of events per second, at least "
            + (long) ClientSettings.RATE_LIMIT_AVERAGE_MIN + " (" + (long) ClientSettings.RATE_LIMIT_AVERAGE_MIN
            + ": no limit)";
    /** What {@value #BURST} may be. */
    public static final String BURST_ALLOWED = "must be a whole number of events, at least "
            + ClientSettings.RATE_LIMIT_BURST_MIN;

    private RateLimitSettings() {
    }

    public static boolean averageAllowed(double average) {
        return average >= ClientSettings.RATE_LIMIT_AVERAGE_MIN && Double.isFinite(average);
    }

    public static boolean burstAllowed(long burst) {
        return burst >= ClientSettings.RATE_LIMIT_BURST_MIN && burst <= Integer.MAX_VALUE;
    }

    /**
     * @throws IllegalArgumentException naming the setting, what is allowed and the bad value, e.g.
     *                                  {@code rateLimitBurst must be a whole number of events, at least 1, was 0}
     */
    public static void check(double average, int burst) {
        if (!averageAllowed(average)) {
            throw new IllegalArgumentException(AVERAGE + " " + AVERAGE_ALLOWED + ", was " + average);
        }
        if (!burstAllowed(burst)) {
            throw new IllegalArgumentException(BURST + " " + BURST_ALLOWED + ", was " + burst);
        }
    }
}
