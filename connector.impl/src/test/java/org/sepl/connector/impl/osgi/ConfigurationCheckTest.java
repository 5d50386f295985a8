package org.sepl.connector.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
