package org.sepl.connector.api;

import java.time.Duration;

/**
 * How long the platform takes to answer the client's requests (events, command answers, device changes: from
 * sending the request to reading its answer), for monitoring. The count and total cover every answer since the
 * client was built; the percentiles cover the answers of about the last minute, so that they follow the platform as
 * it is now. Percentiles are rounded up to within an eighth of their value (the measurement's resolution).
 *
 * @param count       requests answered since the client was built
 * @param total       their round trips added up
 * @param recentCount requests answered within the window of the percentiles
 * @param p50         median round trip of the recent answers; null when there were none
 * @param p90         90th percentile; null when there were none
 * @param p99         99th percentile; null when there were none
 * @param max         longest recent round trip; null when there were none
 * @since 1.3
 */
public record RoundTrips(long count, Duration total, long recentCount, Duration p50, Duration p90, Duration p99,
        Duration max) {

    /** No answer yet. */
    public static final RoundTrips NONE = new RoundTrips(0, Duration.ZERO, 0, null, null, null, null);
}
