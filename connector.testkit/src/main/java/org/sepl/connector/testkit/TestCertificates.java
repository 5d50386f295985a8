package org.sepl.connector.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed key pair for {@code localhost} only (valid until 2126, password {@value #PASSWORD}), for TLS tests:
 * a server that presents it, and a client that trusts it.
 */
public final class TestCertificates {

    /** The key store's password. */
    public static final String PASSWORD = "changeit";
    /** The key store on the class path (PKCS#12). */
    public static final String RESOURCE = "/org/sepl/connector/testkit/localhost.p12";

    private TestCertificates() {
    }

    /** @return the PKCS#12 key store holding the key pair */
    public static KeyStore keyStore() {
        try (InputStream in = TestCertificates.class.getResourceAsStream(RESOURCE)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a TLS context that presents the {@code localhost} certificate (for a server) */
    public static SSLContext presenting() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(), PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a TLS context that trusts the {@code localhost} certificate and nothing else (for a client) */
    public static SSLContext trusting() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keyStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
