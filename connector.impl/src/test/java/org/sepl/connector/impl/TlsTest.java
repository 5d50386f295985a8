package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.testkit.TestCertificates;

/**
 * {@code encryption=true} with the configuration's trust store, as a Config Admin configuration gives it, over each
 * transport: the platform's certificate is checked against the trust store and its host name verified. The test
 * key pair (connector.testkit's, password changeit) is for {@code localhost} only.
 */
@ParameterizedClass
@ValueSource(strings = { "tyrus", "jdk" })
class TlsTest {

    @Parameter
    String transport;
    @TempDir
    Path dir;
    private Path keyStore;
    private PlatformEmulator platform;
    private DefaultConnectorClient client;

    @BeforeEach
    void startTlsPlatform() throws Exception {
        keyStore = dir.resolve("localhost.p12");
        try (InputStream in = TestCertificates.class.getResourceAsStream(TestCertificates.RESOURCE)) {
            Files.copy(in, keyStore);
        }
        platform = PlatformEmulator.builder().user("alice", "secret").tls(TestCertificates.presenting()).start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        platform.close();
    }

    /** A configuration as Config Admin would hand it (metatype defaults for the rest). */
    private Map<String, Object> configuration(String host, String trustStore, String trustStorePassword) {
        Map<String, Object> values = new HashMap<>();
        values.put("host", host);
        values.put("port", platform.port());
        values.put("encryption", true);
        values.put("user", "alice");
        values.put(".password", "secret");
        values.put("trustStore", trustStore);
        values.put(".trustStorePassword", trustStorePassword);
        values.put("reconnectInitialDelayMillis", 50L);
        values.put("reconnectMaxDelayMillis", 200L);
        values.put("transport", transport);
        return values;
    }

    private DefaultConnectorClient start(Map<String, Object> configuration) {
        client = new ConnectorClientBuilder().configuration(configuration).deviceManager(new InMemoryDeviceManager())
                .start();
        return client;
    }

    private void awaitFailure(String why) {
        Await.until("a failed attempt", () -> client.status().lastError() != null);
        assertFalse(client.isReady());
        assertTrue(client.status().lastError().contains(why), client.status().lastError());
    }

    @Test
    void wssWithTheConfiguredTrustStoreConnects() throws Exception {
        start(configuration("localhost", keyStore.toString(), TestCertificates.PASSWORD));
        assertTrue(client.awaitReady(Duration.ofSeconds(10)), "ready over wss: " + client.status());
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused() {
        start(configuration("127.0.0.1", keyStore.toString(), TestCertificates.PASSWORD)); // it names localhost only
        awaitFailure("TLS failed");
    }

    @Test
    void withoutATrustStoreTheJvmsTrustRefusesAnUnknownCertificate() {
        start(configuration("localhost", "", ""));
        awaitFailure("TLS failed");
    }

    @Test
    void anUnreadableTrustStoreIsRefusedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> start(configuration("localhost", dir.resolve("missing.p12").toString(), "")));
        assertTrue(e.getMessage().contains("property 'trustStore'"), e.getMessage());
    }
}
