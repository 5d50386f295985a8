package org.sepl.connector.impl.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sepl.connector.impl.settings.ClientSettings;
import org.sepl.connector.testkit.TestCertificates;

/**
 * The TLS context of the next connection: made from the store settings, kept while the files stay as they were,
 * made again when one is replaced; a store that cannot be used is named with its property and why.
 */
class TlsContextSourceTest {

    @TempDir
    static Path keys;
    static Path gateway;
    static Path localhost;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeyPair() throws IOException {
        gateway = TestCertificates.generateKeyStore(keys.resolve("gateway.p12"), "gateway-1");
        localhost = keys.resolve("localhost.p12");
        try (InputStream in = TestCertificates.class.getResourceAsStream(TestCertificates.RESOURCE)) {
            Files.copy(in, localhost);
        }
    }

    private static ClientSettings settings(Path trustStore, Path keyStore, String keyStorePassword) {
        Map<String, Object> p = new HashMap<>();
        p.put("host", "localhost");
        p.put("port", 443);
        p.put("encryption", true);
        p.put("user", "alice");
        p.put(".password", "secret");
        if (trustStore != null) {
            p.put("trustStore", trustStore.toString());
            p.put(".trustStorePassword", TestCertificates.PASSWORD);
        }
        if (keyStore != null) {
            p.put("keyStore", keyStore.toString());
            p.put(".keyStorePassword", keyStorePassword);
        }
        return ClientSettings.from(p);
    }

    private static void replace(Path to, Path from) throws IOException {
        Path next = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void withoutStoresTheTransportUsesTheJvmsDefault() {
        assertNull(new TlsContextSource(settings(null, null, null)).current());
    }

    @Test
    void theContextIsKeptWhileTheFilesStayAndMadeAgainWhenOneIsReplaced() throws IOException {
        Path keyStore = dir.resolve("client.p12");
        Files.copy(gateway, keyStore);
        TlsContextSource source = new TlsContextSource(settings(localhost, keyStore, TestCertificates.PASSWORD));
        SSLContext first = source.current();
        assertSame(first, source.current(), "unchanged files: the same context (TLS sessions resume)");
        replace(keyStore, gateway); // same content, a new file: read again
        SSLContext second = source.current();
        assertNotSame(first, second);
        assertSame(second, source.current());
    }

    @Test
    void aBrokenReplacementFailsThatAttemptNamingThePropertyAndAGoodOneWorksAgain() throws IOException {
        Path keyStore = dir.resolve("client.p12");
        Files.copy(gateway, keyStore);
        TlsContextSource source = new TlsContextSource(settings(null, keyStore, TestCertificates.PASSWORD));
        Files.write(keyStore, new byte[] { 1, 2, 3 }); // half-written by a careless tool
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, source::current);
        assertTrue(e.getMessage().startsWith("property 'keyStore' = \"" + keyStore + "\": cannot load it: "),
                e.getMessage());
        replace(keyStore, gateway);
        source.current();
    }

    @Test
    void aStoreThatCannotBeUsedIsNamedWithWhy() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new TlsContextSource(settings(null, dir.resolve("nope.p12"), TestCertificates.PASSWORD)));
        assertEquals("property 'keyStore' = \"" + dir.resolve("nope.p12") + "\": cannot load it: no such file",
                missing.getMessage());
        IllegalArgumentException wrongPassword = assertThrows(IllegalArgumentException.class,
                () -> new TlsContextSource(settings(null, gateway, "wrong-password")));
        assertTrue(wrongPassword.getMessage().endsWith("(check keyStoreType and .keyStorePassword)"),
                wrongPassword.getMessage());
        assertTrue(!wrongPassword.getMessage().contains("wrong-password"), "the password is never shown");
    }

    @Test
    void aKeyStoreWithoutAPrivateKeyIsRefused() throws Exception {
        KeyStore certificateOnly = KeyStore.getInstance("PKCS12");
        certificateOnly.load(null, null);
        certificateOnly.setCertificateEntry("platform", TestCertificates.keyStore().getCertificate("localhost"));
        Path file = dir.resolve("certificate-only.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            certificateOnly.store(out, TestCertificates.PASSWORD.toCharArray());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TlsContextSource(settings(null, file, TestCertificates.PASSWORD)));
        assertTrue(e.getMessage().contains("holds no private key"), e.getMessage());
    }
}
