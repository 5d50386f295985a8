package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.impl.connection.ConnectionLifecycle;
import org.sepl.connector.impl.connection.TlsContextSource;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.testkit.TestCertificates;

/**
 * Mutual TLS, over each transport: a platform that requires a client certificate ({@code requireClientCertificate})
 * lets in the gateway whose {@code keyStore} holds a certificate it trusts; without one, or with another, the
 * refusal says what is missing; a key store or trust store replaced on disk is used from the next reconnect on,
 * without a restart. Client key pairs are made once for the class by the JDK's keytool.
 */
@ParameterizedClass
@ValueSource(strings = { "tyrus", "jdk" })
class MutualTlsTest {

    @TempDir
    static Path keys;
    /** The gateway's key pair: the platform trusts its certificate. */
    static Path gateway;
    /** Another key pair, trusted by nobody. */
    static Path stranger;
    /** A trust store that trusts the platform's certificate (for {@code localhost}). */
    static Path platformTrust;

    @Parameter
    String transport;
    @TempDir
    Path dir;
    private PlatformEmulator platform;
    private DefaultConnectorClient client;

    @BeforeAll
    static void makeKeyPairs() throws IOException {
        gateway = TestCertificates.generateKeyStore(keys.resolve("gateway.p12"), "gateway-1");
        stranger = TestCertificates.generateKeyStore(keys.resolve("stranger.p12"), "stranger");
        platformTrust = keys.resolve("localhost.p12");
        try (InputStream in = TestCertificates.class.getResourceAsStream(TestCertificates.RESOURCE)) {
            Files.copy(in, platformTrust);
        }
    }

    @BeforeEach
    void startPlatformRequiringClientCertificates() throws Exception {
        platform = PlatformEmulator.builder().user("alice", "secret")
                .tls(TestCertificates.presentingAndTrustingClients(TestCertificates.keyStore(gateway)))
                .requireClientCertificate().start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        platform.close();
    }

    /** A configuration as Config Admin would hand it. */
    private Map<String, Object> configuration(Path trustStore, Path keyStore) {
        Map<String, Object> values = new HashMap<>();
        values.put("host", "localhost");
        values.put("port", platform.port());
        values.put("encryption", "true");
        values.put("user", "alice");
        values.put(".password", "secret");
        values.put("trustStore", trustStore.toString());
        values.put(".trustStorePassword", TestCertificates.PASSWORD);
        values.put("keyStore", keyStore == null ? "" : keyStore.toString());
        values.put(".keyStorePassword", TestCertificates.PASSWORD);
        values.put("reconnectInitialDelayMillis", "50");
        values.put("reconnectMaxDelayMillis", "200");
        values.put("transport", transport);
        return values;
    }

    private DefaultConnectorClient start(Map<String, Object> configuration) {
        client = new ConnectorClientBuilder().configuration(configuration).deviceManager(new InMemoryDeviceManager())
                .start();
        return client;
    }

    private String awaitFailure() {
        Await.until("a failed attempt", () -> client.status().lastError() != null);
        assertFalse(client.isReady());
        return client.status().lastError();
    }

    /** Copies {@code from} over {@code to} as a deployment tool would: a new file moved into place. */
    private static void replace(Path to, Path from) throws IOException {
        Path next = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aClientCertificateThePlatformTrustsIsAccepted() throws InterruptedException {
        client = new ConnectorClientBuilder().transport(transport).platform("localhost", platform.port(), true)
                .credentials("alice", "secret").deviceManager(new InMemoryDeviceManager())
                .trustStore(platformTrust, "PKCS12", TestCertificates.PASSWORD)
                .keyStore(gateway, "PKCS12", TestCertificates.PASSWORD).start();
        assertTrue(client.awaitReady(Duration.ofSeconds(10)), "ready over mutual TLS: " + client.status());
    }

    @Test
    void withoutAClientCertificateTheRefusalSaysOneIsNeeded() {
        try (LogCapture log = new LogCapture(ConnectionLifecycle.class)) {
            start(configuration(platformTrust, null));
            String error = awaitFailure();
            assertTrue(error.contains("client certificate") && error.contains("set keyStore"), error);
            Await.until("the refusal logged", () -> log.has(Level.WARNING, "Cannot connect to wss://localhost:",
                    "client certificate", "set keyStore"));
        }
    }

    @Test
    void aClientCertificateThePlatformDoesNotTrustIsRefusedNamingTheKeyStore() {
        start(configuration(platformTrust, stranger));
        String error = awaitFailure();
        assertTrue(error.contains("does not accept the client certificate of keyStore " + stranger), error);
    }

    @Test
    void aKeyStoreReplacedOnDiskIsUsedFromTheNextReconnect() throws Exception {
        Path keyStore = dir.resolve("client.p12");
        Files.copy(stranger, keyStore);
        try (LogCapture log = new LogCapture(TlsContextSource.class)) {
            start(configuration(platformTrust, keyStore));
            awaitFailure();
            replace(keyStore, gateway); // the renewed certificate
            assertTrue(client.awaitReady(Duration.ofSeconds(10)), "ready with the new key store: " + client.status());
            assertTrue(log.has(Level.INFO, "Key store " + keyStore + " changed on disk"), log.lines().toString());
            assertTrue(log.has(Level.INFO, "Client certificate for wss://localhost:", "CN=gateway-1"),
                    log.lines().toString());
        }
    }

    @Test
    void aTrustStoreReplacedOnDiskIsUsedFromTheNextReconnect() throws Exception {
        Path trustStore = dir.resolve("trust.p12");
        Files.copy(stranger, trustStore); // trusts the stranger's certificate only, not the platform's
        start(configuration(trustStore, gateway));
        String error = awaitFailure();
        assertTrue(error.contains("TLS failed"), error);
        replace(trustStore, platformTrust);
        assertTrue(client.awaitReady(Duration.ofSeconds(10)), "ready with the new trust store: " + client.status());
    }
}
