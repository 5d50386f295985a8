package org.sepl.connector.impl.connection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.sepl.connector.impl.settings.ClientSettings;

/** The TLS context a client's {@code wss} connections use, from its trust store settings. */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * @return a context trusting {@code trustStore}, or null (the JVM's default trust) when none is set
     * @throws IllegalArgumentException naming the property and why the file cannot be used
     */
    public static SSLContext fromSettings(ClientSettings settings) {
        String file = settings.get(ClientSettings.TRUST_STORE);
        if (file == null || file.isBlank()) {
            return null;
        }
        Path path = Path.of(file);
        String password = settings.get(ClientSettings.TRUST_STORE_PASSWORD);
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(settings.get(ClientSettings.TRUST_STORE_TYPE));
            store.load(in, password == null || password.isEmpty() ? null : password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("property '" + ClientSettings.TRUST_STORE.property() + "' = \"" + file
                    + "\": cannot load it: " + e.getMessage(), e);
        }
    }
}
