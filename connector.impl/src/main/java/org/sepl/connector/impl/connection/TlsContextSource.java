package org.sepl.connector.impl.connection;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.sepl.connector.impl.settings.ClientSettings;
import org.sepl.connector.impl.settings.Setting;

/**
 * The TLS context of a client's next {@code wss} connection, from its trust store and key store settings (null when
 * neither is set: the transport then uses the JVM's default). Asked at every connect attempt ({@link #current()}): a
 * store file replaced on disk (its modification time, size or file identity changed) is read again and a new
 * context made, so a renewed client certificate or trust store is used from the next reconnect on, without a
 * restart. An unchanged file costs one read of its attributes per attempt and keeps the context: its TLS sessions
 * resume, and the jdk transport keeps one HTTP client per context. Reading the stores at every attempt would cost
 * more (a PKCS#12 file is decrypted with a deliberately slow key derivation) and lose both.
 */
public final class TlsContextSource {

    private static final System.Logger LOG = System.getLogger(TlsContextSource.class.getName());

    /** A store's settings. */
    private record Store(Setting<String> file, Setting<String> type, Setting<String> password) {
    }

    private static final Store TRUST = new Store(ClientSettings.TRUST_STORE, ClientSettings.TRUST_STORE_TYPE,
            ClientSettings.TRUST_STORE_PASSWORD);
    private static final Store KEYS = new Store(ClientSettings.KEY_STORE, ClientSettings.KEY_STORE_TYPE,
            ClientSettings.KEY_STORE_PASSWORD);

    /** What a file was when it was read: a replaced file differs in one of them. */
    private record Fingerprint(FileTime modified, long size, Object fileKey) {
    }

    private final ClientSettings settings;
    private final Path trustFile;
    private final Path keyFile;
    // guarded by this
    private Fingerprint trustRead;
    private Fingerprint keysRead;
    private SSLContext context;

    /**
     * Reads the stores now, so that a configuration naming a store that cannot be used is refused at once.
     *
     * @throws IllegalArgumentException naming the property and why its file cannot be used
     */
    public TlsContextSource(ClientSettings settings) {
        this.settings = settings;
        this.trustFile = file(settings, TRUST);
        this.keyFile = file(settings, KEYS);
        current();
    }

    private static Path file(ClientSettings settings, Store store) {
        String name = settings.get(store.file());
        return name == null || name.isBlank() ? null : Path.of(name.trim());
    }

    /**
     * @return the context for the next connection, made again if a store file changed since it was last read; null
     *         when no store is configured
     * @throws IllegalArgumentException naming the property and why its file cannot be used (this attempt fails; the
     *                                  next one reads the file again)
     */
    public synchronized SSLContext current() {
        if (trustFile == null && keyFile == null) {
            return null;
        }
        Fingerprint trustNow = fingerprint(TRUST, trustFile);
        Fingerprint keysNow = fingerprint(KEYS, keyFile);
        boolean first = context == null;
        boolean trustChanged = !Objects.equals(trustNow, trustRead);
        boolean keysChanged = !Objects.equals(keysNow, keysRead);
        if (trustChanged || keysChanged) {
            TrustManager[] trust = trustFile == null ? null : trustManagers(load(TRUST, trustFile));
            KeyManager[] keys = keyFile == null ? null : keyManagers(load(KEYS, keyFile));
            try {
                SSLContext fresh = SSLContext.getInstance("TLS");
                fresh.init(keys, trust, null); // no trust store: the JVM's trust; no key store: no client certificate
                context = fresh;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
            }
            trustRead = trustNow;
            keysRead = keysNow;
            if (!first && trustChanged && trustFile != null) {
                LOG.log(INFO, "Trust store {0} changed on disk: read again, used from the next connection to {1} on",
                        trustFile, settings.uri());
            }
            if (!first && keysChanged) {
                LOG.log(INFO, "Key store {0} changed on disk: read again, used from the next connection to {1} on",
                        keyFile, settings.uri());
            }
        }
        return context;
    }

    private static Fingerprint fingerprint(Store store, Path file) {
        if (file == null) {
            return null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Fingerprint(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException e) {
            throw unusable(store, file, e);
        }
    }

    private KeyStore load(Store store, Path file) {
        String password = settings.get(store.password());
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(settings.get(store.type()).trim());
            ks.load(in, password == null || password.isEmpty() ? null : password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw unusable(store, file, e);
        }
    }

    private TrustManager[] trustManagers(KeyStore store) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw unusable(TRUST, trustFile, e);
        }
    }

    private KeyManager[] keyManagers(KeyStore store) {
        X509Certificate certificate = clientCertificate(store);
        String password = settings.get(KEYS.password());
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password == null ? new char[0] : password.toCharArray());
            describe(certificate);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw unusable(KEYS, keyFile, e);
        }
    }

    /** @return the certificate of the store's first key; a store without a key cannot prove anything */
    private X509Certificate clientCertificate(KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Certificate c = store.getCertificate(alias);
                    return c instanceof X509Certificate x ? x : null;
                }
            }
        } catch (GeneralSecurityException e) {
            throw unusable(KEYS, keyFile, e);
        }
        throw new IllegalArgumentException("property '" + KEYS.file().property() + "' = \"" + keyFile
                + "\": holds no private key, only certificates: a client certificate needs its key in the same store");
    }

    private void describe(X509Certificate certificate) {
        if (certificate == null) {
            return;
        }
        Date now = new Date();
        if (now.after(certificate.getNotAfter()) || now.before(certificate.getNotBefore())) {
            LOG.log(WARNING, "The client certificate in {0} is not valid now (valid from {1} until {2}): the platform "
                    + "will refuse it", keyFile, certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant());
        } else {
            LOG.log(INFO, "Client certificate for {0}: {1}, issued by {2}, valid until {3} ({4})", settings.uri(),
                    certificate.getSubjectX500Principal().getName(), certificate.getIssuerX500Principal().getName(),
                    certificate.getNotAfter().toInstant(), keyFile);
        }
    }

    private static IllegalArgumentException unusable(Store store, Path file, Exception e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : (e.getMessage() != null ? e.getMessage() : e.toString()) + " (check " + store.type().property()
                        + " and " + store.password().property() + ")";
        return new IllegalArgumentException("property '" + store.file().property() + "' = \"" + file
                + "\": cannot load it: " + why, e);
    }
}
