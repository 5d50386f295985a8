package org.sepl.connector.impl;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

/**
 * How these tests wait for a condition: Awaitility with a name for the failure message, looking at once and then
 * every 10 ms (its defaults first wait 100 ms, and most conditions here hold within a few milliseconds).
 */
public final class Await {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL).atMost(timeout)
                .until(condition::getAsBoolean);
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_TIMEOUT, condition);
    }
}
