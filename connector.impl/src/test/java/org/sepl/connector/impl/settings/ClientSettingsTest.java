package org.sepl.connector.impl.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.impl.ConnectorClientBuilder;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/**
 * One settings type, checked in one place: every bad value is named with its property, the value (never a secret's)
 * and what is allowed, in the same words whether it came from a {@code .cfg} file, Config Admin or the builder.
 */
class ClientSettingsTest {

    private static Map<String, Object> required() {
        Map<String, Object> p = new HashMap<>();
        p.put("host", "platform.example.org");
        p.put("port", 8080);
        p.put("user", "alice");
        p.put(".password", "s3cret-pw");
        return p;
    }

    private static List<String> problems(Map<String, Object> properties) {
        return assertThrows(InvalidSettingsException.class, () -> ClientSettings.from(properties)).problems();
    }

    @Test
    void badValuesAreNamedWithTheirPropertyAndWhatIsAllowed() {
        Map<String, Object> p = required();
        p.put("port", "eighty");
        p.put("encryption", "maybe");
        p.put("requestTimeoutMillis", "10s");
        p.put(".password", 42);
        List<String> problems = problems(p);
        assertEquals(List.of("property 'port' = \"eighty\": must be a whole number between 1 and 65535",
                "property 'encryption' = \"maybe\": must be true or false",
                "property '.password' = (hidden): must be text",
                "property 'requestTimeoutMillis' = \"10s\": must be a whole number of milliseconds, at least 1"),
                problems);
    }

    @Test
    void missingRequiredPropertiesSayWhatTheyAreFor() {
        List<String> problems = problems(Map.of("port", 8080));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("property 'host' must be set: host name or address"), problems.toString());
        assertTrue(problems.contains("property 'user' must be set: platform user"), problems.toString());
    }

    @Test
    void valuesAsFileInstallAndConfigAdminGiveThemAreAccepted() {
        Map<String, Object> p = required();
        p.put("port", " 443 ");
        p.put("encryption", "TRUE");
        p.put("maxRequestsInFlight", 5L);
        p.put("requestTimeoutMillis", "5000");
        p.put("rateLimitAverage", " 2.5 ");
        ClientSettings s = ClientSettings.from(p);
        assertEquals(443, s.port());
        assertTrue(s.encryption());
        assertEquals(5, s.maxRequestsInFlight());
        assertEquals(Duration.ofSeconds(5), s.requestTimeout());
        assertEquals(2.5, s.rateLimitAverage());
    }

    @Test
    void rateLimitValuesOutOfRangeAreNamedWithWhatIsAllowed() {
        String average = "must be a finite number of events per second, at least 0 (0: no limit)";
        String burst = "must be a whole number, at least 1";
        for (Object bad : List.of("-1", "fast", Double.NaN, "Infinity")) {
            Map<String, Object> p = required();
            p.put("rateLimitAverage", bad);
            assertEquals(List.of("property 'rateLimitAverage' = \"" + bad + "\": " + average), problems(p));
        }
        for (Object bad : List.of(0, "-5", "2.5", 99_999_999_999L)) {
            Map<String, Object> p = required();
            p.put("rateLimitBurst", bad);
            assertEquals(List.of("property 'rateLimitBurst' = \"" + bad + "\": " + burst), problems(p));
        }
    }

    @Test
    void theBuilderRefusesWithTheSameWords() {
        ConnectorClientBuilder builder = new ConnectorClientBuilder().platform("127.0.0.1", 1, false)
                .credentials("alice", "secret").deviceManager(new InMemoryDeviceManager()).rateLimit(Double.NaN, 0)
                .requestTimeout(Duration.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("property 'requestTimeoutMillis' = \"0\": must be a whole number of milliseconds, at least 1; "
                + "property 'rateLimitAverage' = \"NaN\": must be a finite number of events per second, at least 0 "
                + "(0: no limit); property 'rateLimitBurst' = \"0\": must be a whole number, at least 1",
                e.getMessage());
    }

    @Test
    void theReconnectBoundsMustBeInOrder() {
        Map<String, Object> p = required();
        p.put("reconnectInitialDelayMillis", 5000);
        p.put("reconnectMaxDelayMillis", 500);
        assertEquals(List.of("property 'reconnectMaxDelayMillis' = \"500\": must not be smaller than "
                + "reconnectInitialDelayMillis (5000)"), problems(p));
    }

    @Test
    void uriAndToStringNeverShowThePassword() {
        Map<String, Object> p = required();
        p.put("host", "::1");
        ClientSettings s = ClientSettings.from(p);
        assertEquals("ws://[::1]:8080/", s.uri().toString());
        assertFalse(s.toString().contains("s3cret-pw"), s.toString());
    }

    @Test
    void theProxySettingsGoTogether() {
        Map<String, Object> p = required();
        p.put("proxyHost", "proxy.lan");
        assertEquals(List.of("property 'proxyPort' must be set with proxyHost: the proxy's port, 1 to 65535"), problems(p));
        p = required();
        p.put("proxyPort", "3128");
        p.put("proxyUser", "gw");
        p.put(".proxyPassword", "pw-secret");
        assertEquals(List.of("property 'proxyPort' = \"3128\": needs proxyHost", "property 'proxyUser' = \"gw\": needs "
                + "proxyHost (proxy credentials go only to a configured proxy, never to the JVM's)"), problems(p));
        p = required();
        p.put("proxyHost", "proxy.lan");
        p.put("proxyPort", "3128");
        p.put(".proxyPassword", "pw-secret");
        assertEquals(List.of("property '.proxyPassword' = (hidden): needs proxyUser"), problems(p));
    }

    @Test
    void aProxyIsMadeFromItsSettingsAndNoneMeansTheJvms() {
        assertEquals(null, ClientSettings.from(required()).proxy());
        Map<String, Object> p = required();
        p.put("proxyHost", " proxy.lan ");
        p.put("proxyPort", "3128");
        assertEquals(HttpProxy.of("proxy.lan", 3128), ClientSettings.from(p).proxy());
        p.put("proxyUser", "gw");
        p.put(".proxyPassword", "pw-secret");
        assertEquals(new HttpProxy("proxy.lan", 3128, "gw", "pw-secret"), ClientSettings.from(p).proxy());
    }

    @Test
    void toStringShowsNoSecret() {
        Map<String, Object> p = required();
        p.put("proxyHost", "proxy.lan");
        p.put("proxyPort", "3128");
        p.put("proxyUser", "gw");
        p.put(".proxyPassword", "proxy-pw-secret");
        p.put("keyStore", "/etc/gw.p12");
        p.put(".keyStorePassword", "key-pw-secret");
        p.put(".trustStorePassword", "trust-pw-secret");
        String shown = ClientSettings.from(p).toString();
        for (String secret : List.of("s3cret-pw", "proxy-pw-secret", "key-pw-secret", "trust-pw-secret")) {
            assertFalse(shown.contains(secret), shown);
        }
        assertTrue(shown.contains("proxyHost=proxy.lan") && shown.contains("keyStore=/etc/gw.p12"), shown);
    }

    @Test
    void aTlsContextInCodeAndStoreSettingsExcludeEachOther() throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, null, null);
        ConnectorClientBuilder builder = new ConnectorClientBuilder().platform("127.0.0.1", 1, true)
                .credentials("alice", "secret").deviceManager(new InMemoryDeviceManager()).sslContext(context)
                .trustStore(java.nio.file.Path.of("/etc/trust.p12"), "PKCS12", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("property 'trustStore' = \"/etc/trust.p12\": not with a TLS context given in code (sslContext), "
                + "which is used as it is: give one or the other", e.getMessage());
    }

    @Test
    void everySettingHasADistinctPropertyADescriptionAndADefaultUnlessRequired() {
        assertEquals(ClientSettings.ALL.size(), ClientSettings.ALL.stream().map(Setting::property).distinct().count());
        for (Setting<?> s : ClientSettings.ALL) {
            assertFalse(s.description().isBlank(), s.property());
            assertEquals(s.secret(), s.property().startsWith("."), "secrets start with a dot: " + s.property());
            if (!s.required()) {
                assertTrue(ClientSettings.problemsOf(s, s.defaultValue()).isEmpty(), "its default is allowed: " + s);
            }
        }
    }
}
