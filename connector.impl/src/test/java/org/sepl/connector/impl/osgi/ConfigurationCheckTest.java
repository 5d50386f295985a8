package org.sepl.connector.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sepl.connector.impl.ClientSettings;
import org.sepl.connector.impl.ConnectorClientBuilder;
import org.sepl.connector.impl.ratelimit.RateLimitSettings;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

class ConfigurationCheckTest {

    @Test
    void badValuesAreNamedWithTheirPropertyAndWhatIsAllowed() {
        List<String> problems = ConfigurationCheck.problems(Map.of("host", "h", "port", "eighty", "encryption", "maybe",
                "requestTimeoutMillis", "10s", ".password", "secret!", "user", "alice"));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.contains("property 'port' = \"eighty\": must be a whole number between 1 and 65535"), problems.toString());
        assertTrue(problems.contains("property 'encryption' = \"maybe\": must be true or false"), problems.toString());
        assertTrue(problems.contains("property 'requestTimeoutMillis' = \"10s\": must be a whole number"), problems.toString());
        assertFalse(problems.toString().contains("secret!"));
    }

    @Test
    void valuesAsFileInstallAndConfigAdminGiveThemAreAccepted() {
        assertTrue(ConfigurationCheck.problems(Map.of("host", "h", "port", "8080", "encryption", "TRUE",
                "maxRequestsInFlight", 5, "requestTimeoutMillis", 5000L, "user", "u", ".password", "p")).isEmpty());
        assertTrue(ConfigurationCheck.problems(Map.of("port", " 443 ", "encryption", Boolean.FALSE)).isEmpty());
    }

    @Test
    void rateLimitValuesOutOfRangeAreNamedWithWhatIsAllowed() {
        String average = "must be a finite number of events per second, at least 0 (0: no limit)";
        String burst = "must be a whole number of events, at least 1";
        assertEquals(List.of("property 'rateLimitAverage' = \"-1\": " + average),
                ConfigurationCheck.problems(Map.of("rateLimitAverage", "-1")));
        assertEquals(List.of("property 'rateLimitAverage' = \"fast\": " + average),
                ConfigurationCheck.problems(Map.of("rateLimitAverage", "fast")));
        assertEquals(List.of("property 'rateLimitAverage' = \"NaN\": " + average),
                ConfigurationCheck.problems(Map.of("rateLimitAverage", Double.NaN)));
        assertEquals(List.of("property 'rateLimitAverage' = \"Infinity\": " + average),
                ConfigurationCheck.problems(Map.of("rateLimitAverage", "Infinity")));
        assertEquals(List.of("property 'rateLimitBurst' = \"0\": " + burst),
                ConfigurationCheck.problems(Map.of("rateLimitBurst", 0)));
        assertEquals(List.of("property 'rateLimitBurst' = \"-5\": " + burst),
                ConfigurationCheck.problems(Map.of("rateLimitBurst", "-5")));
        assertEquals(List.of("property 'rateLimitBurst' = \"2.5\": " + burst),
                ConfigurationCheck.problems(Map.of("rateLimitBurst", "2.5")));
        assertEquals(List.of("property 'rateLimitBurst' = \"99999999999\": " + burst),
                ConfigurationCheck.problems(Map.of("rateLimitBurst", 99_999_999_999L)));
        // the wording comes from the one place that holds the bounds
        assertEquals(average, RateLimitSettings.AVERAGE_ALLOWED);
        assertEquals(burst, RateLimitSettings.BURST_ALLOWED);
        assertTrue(burst.endsWith(" " + ClientSettings.RATE_LIMIT_BURST_MIN));
    }

    @Test
    void rateLimitValuesInRangeAreAccepted() {
        assertTrue(ConfigurationCheck.problems(Map.of("rateLimitAverage", "0", "rateLimitBurst", "1")).isEmpty());
        assertTrue(ConfigurationCheck.problems(Map.of("rateLimitAverage", " 2.5 ", "rateLimitBurst", 20)).isEmpty());
        assertTrue(ConfigurationCheck.problems(Map.of("rateLimitAverage", 200.0, "rateLimitBurst", 100L)).isEmpty());
        assertTrue(ConfigurationCheck.problems(Map.of("rateLimitAverage", 1_000_000)).isEmpty());
    }

    @Test
    void theBuilderRefusesTheSameRateLimitsWithTheSameWording() {
        assertBuilderRefuses(-1, 20, "rateLimitAverage " + RateLimitSettings.AVERAGE_ALLOWED + ", was -1.0");
        assertBuilderRefuses(Double.NaN, 20, "rateLimitAverage " + RateLimitSettings.AVERAGE_ALLOWED + ", was NaN");
        assertBuilderRefuses(Double.POSITIVE_INFINITY, 20,
                "rateLimitAverage " + RateLimitSettings.AVERAGE_ALLOWED + ", was Infinity");
        assertBuilderRefuses(200, 0, "rateLimitBurst " + RateLimitSettings.BURST_ALLOWED + ", was 0");
        // also with no limit: a burst of 0 is a mistake whatever the average
        assertBuilderRefuses(0, 0, "rateLimitBurst " + RateLimitSettings.BURST_ALLOWED + ", was 0");
        assertBuilderRefuses(0, -5, "rateLimitBurst " + RateLimitSettings.BURST_ALLOWED + ", was -5");
    }

    private static void assertBuilderRefuses(double average, int burst, String message) {
        ConnectorClientBuilder builder = new ConnectorClientBuilder().platform("127.0.0.1", 1, false)
                .credentials("alice", "secret").deviceManager(new InMemoryDeviceManager()).rateLimit(average, burst);
        assertEquals(message, assertThrows(IllegalArgumentException.class, builder::build).getMessage());
    }
}
