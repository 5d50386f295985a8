package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.testkit.TestCertificates;
import org.sepl.connector.testkit.TestProxy;

/**
 * The connection through an HTTP {@code CONNECT} proxy, over each transport: configured (as Config Admin or the
 * builder gives it), with and without Basic credentials, for {@code ws} and {@code wss}; wrong credentials and an
 * absent proxy said in words; and, with no proxy configured, the JVM's proxy settings. (The jdk transport sends Basic
 * credentials only with {@code -Djdk.http.auth.tunneling.disabledSchemes=}, which this module's surefire sets.)
 */
@ParameterizedClass
@ValueSource(strings = { "tyrus", "jdk" })
class ProxyTest {

    @Parameter
    String transport;
    private PlatformEmulator platform;
    private DefaultConnectorClient client;

    @BeforeEach
    void startPlatform() throws IOException {
        platform = PlatformEmulator.builder().user("alice", "secret").start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        platform.close();
    }

    /** A configuration as Config Admin would hand it (strings, as from a .cfg file). */
    private Map<String, Object> configuration(int proxyPort, String proxyUser, String proxyPassword) {
        Map<String, Object> values = new HashMap<>();
        values.put("host", "127.0.0.1");
        values.put("port", String.valueOf(platform.port()));
        values.put("user", "alice");
        values.put(".password", "secret");
        values.put("transport", transport);
        values.put("reconnectInitialDelayMillis", "50");
        values.put("reconnectMaxDelayMillis", "200");
        if (proxyPort > 0) {
            values.put("proxyHost", "127.0.0.1");
            values.put("proxyPort", String.valueOf(proxyPort));
        }
        if (proxyUser != null) {
            values.put("proxyUser", proxyUser);
            values.put(".proxyPassword", proxyPassword);
        }
        return values;
    }

    private DefaultConnectorClient start(ConnectorClientBuilder builder) {
        client = builder.deviceManager(new InMemoryDeviceManager()).start();
        return client;
    }

    private void awaitReady() throws InterruptedException {
        assertTrue(client.awaitReady(Duration.ofSeconds(10)), "ready through the proxy: " + client.status());
    }

    private String awaitFailure() {
        Await.until("a failed attempt", () -> client.status().lastError() != null);
        assertFalse(client.isReady());
        return client.status().lastError();
    }

    @Test
    void aConfiguredProxyCarriesTheConnection() throws Exception {
        try (TestProxy proxy = TestProxy.connectProxy(null, null)) {
            start(new ConnectorClientBuilder().configuration(configuration(proxy.port(), null, null)));
            awaitReady();
            assertEquals(List.of("127.0.0.1:" + platform.port()), proxy.tunnels);
        }
    }

    @Test
    void anAuthenticatingProxyGetsTheCredentialsGivenToTheBuilder() throws Exception {
        try (TestProxy proxy = TestProxy.connectProxy("gateway", "proxy-secret")) {
            start(new ConnectorClientBuilder().configuration(configuration(0, null, null))
                    .proxy(new HttpProxy("127.0.0.1", proxy.port(), "gateway", "proxy-secret")));
            awaitReady();
            assertEquals(1, proxy.tunnels.size());
            assertEquals(0, proxy.refused.get());
        }
    }

    @Test
    void wrongProxyCredentialsAreSaidInWordsAndNeverLogged() throws IOException {
        try (TestProxy proxy = TestProxy.connectProxy("gateway", "proxy-secret");
                LogCapture log = new LogCapture(org.sepl.connector.impl.connection.ConnectionLifecycle.class)) {
            start(new ConnectorClientBuilder().configuration(configuration(proxy.port(), "gateway", "wrong-secret")));
            String error = awaitFailure();
            assertTrue(error.contains("proxy 127.0.0.1:" + proxy.port()) && error.contains("407")
                    && error.contains("proxyUser"), error);
            assertTrue(proxy.tunnels.isEmpty());
            Await.until("the refusal logged", () -> log.has(java.util.logging.Level.WARNING, "407"));
            assertTrue(log.lines().stream().noneMatch(l -> l.contains("wrong-secret")), log.lines().toString());
        }
    }

    @Test
    void aProxyThatDoesNotListenIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        start(new ConnectorClientBuilder().configuration(configuration(closedPort, null, null)));
        String error = awaitFailure();
        assertTrue(error.contains("proxy 127.0.0.1:" + closedPort) && error.contains("refused"), error);
    }

    @Test
    void wssGoesThroughTheProxyWithTheHostNameVerified() throws Exception {
        try (PlatformEmulator tls = PlatformEmulator.builder().user("alice", "secret")
                .tls(TestCertificates.presenting()).start();
                TestProxy proxy = TestProxy.connectProxy(null, null)) {
            Map<String, Object> configuration = configuration(proxy.port(), null, null);
            configuration.put("host", "localhost");
            configuration.put("port", String.valueOf(tls.port()));
            configuration.put("encryption", "true");
            start(new ConnectorClientBuilder().configuration(configuration).sslContext(TestCertificates.trusting()));
            awaitReady();
            assertEquals(List.of("localhost:" + tls.port()), proxy.tunnels);
        }
    }

    /**
     * No proxy configured: the JVM's proxy settings, as an operator sets them on the command line
     * ({@code -Dhttp.proxyHost=...}); loopback is excluded by the JDK's default {@code http.nonProxyHosts}, so the
     * test empties it.
     */
    @Test
    void withoutAConfiguredProxyTheJvmsProxySettingsAreUsed() throws Exception {
        Map<String, String> before = new HashMap<>();
        List<String> keys = List.of("http.proxyHost", "http.proxyPort", "https.proxyHost", "https.proxyPort",
                "http.nonProxyHosts");
        keys.forEach(k -> before.put(k, System.getProperty(k)));
        try (TestProxy proxy = TestProxy.connectProxy(null, null)) {
            for (String scheme : List.of("http", "https")) {
                System.setProperty(scheme + ".proxyHost", "127.0.0.1");
                System.setProperty(scheme + ".proxyPort", String.valueOf(proxy.port()));
            }
            System.setProperty("http.nonProxyHosts", "");
            start(new ConnectorClientBuilder().configuration(configuration(0, null, null)));
            awaitReady();
            assertEquals(List.of("127.0.0.1:" + platform.port()), proxy.tunnels);
        } finally {
            keys.forEach(k -> {
                if (before.get(k) == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, before.get(k));
                }
            });
        }
    }
}
