package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ClientSettingsTest {

    private static ClientSettings settings(String host, int port, Duration timeout, int window) {
        return new ClientSettings(host, port, false, "alice", "s3cret-pw", timeout, Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(10), window, 100, null);
    }

    @Test
    void invalidValuesNameTheSetting() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(" ", 80, Duration.ofSeconds(1), 1))
                .getMessage().contains("host"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings("h", 0, Duration.ofSeconds(1), 1))
                .getMessage().contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings("h", 80, Duration.ZERO, 1))
                .getMessage().contains("requestTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings("h", 80, Duration.ofSeconds(1), 0))
                .getMessage().contains("maxRequestsInFlight"));
    }

    @Test
    void uriAndToStringNeverShowThePassword() {
        ClientSettings s = settings("::1", 8080, Duration.ofSeconds(1), 1);
        assertEquals("ws://[::1]:8080/", s.uri().toString());
        assertFalse(s.toString().contains("s3cret-pw"), s.toString());
    }
}
