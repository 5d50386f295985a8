package org.sepl.connector.impl.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.sepl.connector.impl.settings.ClientSettings;

/** A failed connect in words an operator can act on: which proxy, which certificate, which setting. */
class ConnectFailureTest {

    private static ClientSettings settings(String... more) {
        Map<String, Object> p = new HashMap<>();
        p.put("host", "platform.example.org");
        p.put("port", 8443);
        p.put("encryption", true);
        p.put("user", "alice");
        p.put(".password", "secret");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return ClientSettings.from(p);
    }

    private static IOException wrapped(Throwable cause) {
        return new IOException("the transport's words", cause);
    }

    @Test
    void aRefusedClientCertificateSaysWhatToSet() {
        Throwable alert = wrapped(new javax.net.ssl.SSLException("Received fatal alert: certificate_required"));
        assertEquals("TLS refused by the platform (Received fatal alert: certificate_required): it requires a client "
                + "certificate and none is configured: set keyStore to the gateway's key store and .keyStorePassword",
                ConnectFailure.describe(alert, settings()));
        Throwable bad = wrapped(new javax.net.ssl.SSLException("Received fatal alert: bad_certificate"));
        assertEquals("TLS refused by the platform (Received fatal alert: bad_certificate): it does not accept the "
                + "client certificate of keyStore /etc/gw.p12 (it must be the gateway's, valid, and issued by a CA the "
                + "platform trusts)", ConnectFailure.describe(bad, settings("keyStore", "/etc/gw.p12")));
    }

    @Test
    void thePlatformsCertificateNotTrustedNamesTheTrustStore() {
        Throwable pkix = wrapped(new SSLHandshakeException("PKIX path building failed"));
        assertEquals("TLS failed: PKIX path building failed (the platform's certificate must be trusted by the JVM "
                + "(or set trustStore) and name the host platform.example.org)", ConnectFailure.describe(pkix, settings()));
    }

    @Test
    void throughAProxyTheProxyIsNamed() {
        ClientSettings proxied = settings("proxyHost", "proxy.lan", "proxyPort", "3128");
        assertEquals("connection refused by proxy proxy.lan:3128 (nothing listens there: check proxyHost and "
                + "proxyPort)", ConnectFailure.describe(wrapped(new ConnectException("Connection refused")), proxied));
        assertEquals("proxy proxy.lan:3128 wants credentials (Proxy error. 407: Proxy Authentication Required): set "
                + "proxyUser and .proxyPassword",
                ConnectFailure.describe(new IOException("Proxy error. 407: Proxy Authentication Required"), proxied));
        ClientSettings withUser = settings("proxyHost", "proxy.lan", "proxyPort", "3128", "proxyUser", "gw",
                ".proxyPassword", "pw");
        assertEquals("proxy proxy.lan:3128 refused the credentials (the WebSocket upgrade was answered with HTTP 407): "
                + "check proxyUser and .proxyPassword", ConnectFailure.describe(
                        new IOException("the WebSocket upgrade was answered with HTTP 407"), withUser));
    }

    @Test
    void withoutAProxyThePlatformIsNamed() {
        assertEquals("connection refused by platform.example.org:8443 (nothing listens on that port: check host, port "
                + "and that the platform runs)", ConnectFailure.describe(wrapped(new ConnectException()), settings()));
    }
}
