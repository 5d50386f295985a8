package org.sepl.connector.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed key pair for {@code localhost} only (valid until 2126, password {@value #PASSWORD}), for TLS tests:
 * a server that presents it, and a client that trusts it. For mutual TLS, client key pairs made at test time
 * ({@link #generateKeyStore}) and the contexts of a server that trusts them and a client that presents one.
 */
public final class TestCertificates {

    /** The key store's password. */
    public static final String PASSWORD = "changeit";
    /** The key store on the class path (PKCS#12). */
    public static final String RESOURCE = "/org/sepl/connector/testkit/localhost.p12";
    /** The alias of the key pair in the key stores {@link #generateKeyStore} makes. */
    public static final String CLIENT_ALIAS = "client";

    private TestCertificates() {
    }

    /** @return the PKCS#12 key store holding the key pair */
    public static KeyStore keyStore() {
        try (InputStream in = TestCertificates.class.getResourceAsStream(RESOURCE)) {
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the PKCS#12 key store in {@code file}, password {@value #PASSWORD} */
    public static KeyStore keyStore(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyStore load(InputStream in) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes a PKCS#12 key store at {@code file} (which must not exist) holding a new key pair and a self-signed
     * certificate for {@code CN=commonName}: EC P-256, valid 10 years, alias {@value #CLIENT_ALIAS}, password
     * {@value #PASSWORD}. A client certificate for mutual TLS tests, made by the JDK's own {@code keytool} (about
     * 0.7 s: make them once per test class).
     *
     * @return {@code file}
     * @throws IOException if keytool cannot run or fails (its output is in the message)
     */
    public static Path generateKeyStore(Path file, String commonName) throws IOException {
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        Path keytool = Files.isExecutable(bin.resolve("keytool")) ? bin.resolve("keytool") : bin.resolve("keytool.exe");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", CLIENT_ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName, "-validity", "3650",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD))
                .redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool could not make " + file + ": " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made " + file, e);
        } finally {
            process.destroy();
        }
        return file;
    }

    /** @return a TLS context that presents the {@code localhost} certificate (for a server) */
    public static SSLContext presenting() {
        return context(keyStore(), null);
    }

    /** @return a TLS context that trusts the {@code localhost} certificate and nothing else (for a client) */
    public static SSLContext trusting() {
        return context(null, keyStore());
    }

    /**
     * @param clients the certificates a client may present (a key store of {@link #generateKeyStore}: its own
     *                certificate is trusted)
     * @return a server's TLS context for mutual TLS: presents the {@code localhost} certificate and trusts
     *         {@code clients}' certificates and nothing else
     */
    public static SSLContext presentingAndTrustingClients(KeyStore clients) {
        return context(keyStore(), clients);
    }

    /**
     * @param client a key store of {@link #generateKeyStore}
     * @return a client's TLS context for mutual TLS: trusts the {@code localhost} certificate and presents
     *         {@code client}'s
     */
    public static SSLContext trustingAndPresentingClient(KeyStore client) {
        return context(client, keyStore());
    }

    /** @param keys what to present (null: nothing); @param trusted what to trust (null: the JVM's default) */
    private static SSLContext context(KeyStore keys, KeyStore trusted) {
        try {
            KeyManagerFactory kmf = null;
            if (keys != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = null;
            if (trusted != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted); // a key entry's own certificate counts as trusted
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
