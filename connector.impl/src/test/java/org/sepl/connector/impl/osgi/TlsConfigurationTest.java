package org.sepl.connector.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.ClientSettings;
import org.sepl.connector.impl.DefaultConnectorClient;
import org.sepl.connector.impl.GatewayIdStore;
import org.sepl.connector.impl.transport.JdkWebSocketTransport;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * {@code encryption=true} with the configuration's trust store, through the same path as a Config Admin
 * configuration: the platform's certificate is checked against the trust store and its host name verified.
 * The test key pair (localhost.p12, password changeit) is for {@code localhost} only.
 */
class TlsConfigurationTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;
    private Path keyStore;
    private PlatformEmulator platform;
    private DefaultConnectorClient client;

    @BeforeEach
    void startTlsPlatform() throws Exception {
        keyStore = dir.resolve("localhost.p12");
        try (InputStream in = getClass().getResourceAsStream("/localhost.p12")) {
            Files.copy(in, keyStore);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        platform = PlatformEmulator.builder().user("alice", "secret").tls(server).start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        platform.close();
    }

    /** A configuration as Config Admin would hand it to the component (metatype defaults for the rest). */
    private ClientConfiguration configuration(String host, String trustStore, String trustStorePassword) {
        Map<String, Object> values = new HashMap<>();
        values.put("host", host);
        values.put("port", platform.port());
        values.put("encryption", true);
        values.put("user", "alice");
        values.put("_password", "secret");
        values.put("trustStore", trustStore);
        values.put("_trustStorePassword", trustStorePassword);
        values.put("reconnectInitialDelayMillis", 50L);
        values.put("reconnectMaxDelayMillis", 200L);
        return (ClientConfiguration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ClientConfiguration.class}, (proxy, method, args) -> {
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    private DefaultConnectorClient start(ClientConfiguration c) {
        ClientSettings settings = ConnectorClientComponent.settings(c);
        client = new DefaultConnectorClient(settings, GatewayIdStore.inMemory(""), JdkWebSocketTransport.forClient(settings, null),
                new InMemoryDeviceManager());
        client.start();
        return client;
    }

    private void awaitFailure() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (client.status().lastError() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertNotNull(client.status().lastError(), "a failed attempt");
        assertFalse(client.isReady());
    }

    @Test
    void wssWithTheConfiguredTrustStoreConnects() throws Exception {
        start(configuration("localhost", keyStore.toString(), PASSWORD));
        assertTrue(client.awaitReady(Duration.ofSeconds(10)), "ready over wss: " + client.status());
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused() throws Exception {
        start(configuration("127.0.0.1", keyStore.toString(), PASSWORD)); // the certificate names localhost only
        awaitFailure();
    }

    @Test
    void withoutATrustStoreTheJvmsTrustRefusesAnUnknownCertificate() throws Exception {
        start(configuration("localhost", "", ""));
        awaitFailure();
        assertTrue(client.state() != ConnectionState.READY);
    }

    @Test
    void anUnreadableTrustStoreIsRefusedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectorClientComponent.settings(configuration("localhost", dir.resolve("missing.p12").toString(), "")));
        assertTrue(e.getMessage().contains("trustStore"), e.getMessage());
    }
}
