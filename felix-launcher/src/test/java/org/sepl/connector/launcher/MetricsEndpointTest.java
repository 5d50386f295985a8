package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.monitoring.osgi.MetricsHttpComponent;

class MetricsEndpointTest {

    @TempDir
    Path conf;

    @Test
    void theLaunchersCopyOfTheEndpointsPidAndDefaultsIsTheEndpointsOwn() {
        assertEquals(MetricsHttpComponent.PID, MetricsEndpoint.PID);
        assertEquals(MetricsHttpComponent.DEFAULT_PORT, MetricsEndpoint.DEFAULT_PORT);
        assertEquals(MetricsHttpComponent.DEFAULT_HOST, MetricsEndpoint.DEFAULT_HOST);
    }

    @Test
    void theFlagBecomesAConfigurationTheNextRunRemoves() {
        assertNull(MetricsEndpoint.from(LauncherOptions.parse()));
        MetricsEndpoint endpoint = MetricsEndpoint.from(LauncherOptions.parse("--metrics", "0"));
        assertEquals(Map.of("port", 0, "host", "127.0.0.1", ClientSetup.GENERATED, "true"),
                endpoint.configuration(conf));
    }

    @Test
    void aConfFileOfTheEndpointBesideTheFlagIsRefused() throws Exception {
        Files.writeString(conf.resolve(MetricsEndpoint.PID + ".cfg"), "port=9000\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricsEndpoint.from(LauncherOptions.parse("--metrics")).configuration(conf));
        assertTrue(e.getMessage().contains("--metrics and ") && e.getMessage().contains(MetricsEndpoint.PID + ".cfg"),
                e.getMessage());
    }
}
