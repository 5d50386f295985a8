package org.sepl.connector.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The optional Felix Web Console ({@code --web-console}): where it listens and its credentials, given to the Web
 * Console and Felix HTTP Jetty as framework properties (held in memory by the framework, never written to its
 * cache or to the log; the password only as a salted hash). The password is read from
 * {@code --web-console-password-file} (plain, or already hashed) or generated here; a generated one is printed
 * once, on stdout, by {@link #banner()}.
 *
 * @param host      the address Jetty binds
 * @param port      the HTTP port (a free one already chosen when 0 was asked for)
 * @param password  the console password of {@link #USER}; never logged
 * @param generated whether the password was generated (and so must be shown to the user)
 */
record WebConsole(String host, int port, String password, boolean generated) {

    static final int DEFAULT_PORT = 8082;
    /** Loopback: the console can install bundles, so it is for this machine unless asked otherwise. */
    static final String DEFAULT_HOST = "127.0.0.1";
    static final String USER = "admin";
    static final String ROOT = "/system/console";
    private static final int GENERATED_PASSWORD_BYTES = 18;
    private static final String HASH_PREFIX = "{sha-256}";
    private static final int SALT_BYTES = 8;
    private static final int HASH_ITERATIONS = 1000;

    /**
     * @return the web console the options ask for
     * @throws IOException              if the password file cannot be read or no free port can be found
     * @throws IllegalArgumentException if the password file is empty
     */
    static WebConsole from(LauncherOptions options) throws IOException {
        String password;
        boolean generated = options.webConsolePasswordFile() == null;
        if (generated) {
            byte[] random = new byte[GENERATED_PASSWORD_BYTES];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        } else {
            String content = Files.readString(options.webConsolePasswordFile(), StandardCharsets.UTF_8);
            password = content.lines().findFirst().orElse("").strip();
            if (password.isEmpty()) {
                throw new IllegalArgumentException("--web-console-password-file " + options.webConsolePasswordFile()
                        + ": its first line is empty; write the password there");
            }
        }
        int port = options.webConsolePort();
        if (port == 0) {
            port = freePort(options.webConsoleHost());
        }
        return new WebConsole(options.webConsoleHost(), port, password, generated);
    }

    /** Asks the OS for a free port on {@code host}; Jetty binds it right after, so a race is unlikely. */
    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        }
    }

    /**
     * Framework properties read by Felix HTTP Jetty and the Web Console at their start. The password only as its
     * salted hash: the console's "Framework Properties" page shows these.
     */
    Map<String, Object> frameworkProperties() {
        return Map.of(
                "org.osgi.service.http.port", String.valueOf(port),
                "org.apache.felix.http.host", host,
                "felix.webconsole.username", USER,
                "felix.webconsole.password", hashed(password),
                "felix.webconsole.manager.root", ROOT);
    }

    /**
     * The password in the Web Console's hashed form, {@code {sha-256}SALT-ITERATIONS-BASE64} (the format of its
     * {@code Password} class: SHA-256 over salt + password, re-hashed ITERATIONS times); a password already in that
     * form (from the password file) is kept.
     */
    static String hashed(String password) {
        if (password.startsWith(HASH_PREFIX)) {
            return password;
        }
        byte[] saltBytes = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(saltBytes);
        String salt = HexFormat.of().formatHex(saltBytes);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = (salt + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < HASH_ITERATIONS; i++) {
                digest.reset();
                hash = digest.digest(hash);
            }
            return HASH_PREFIX + salt + "-" + HASH_ITERATIONS + "-" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** @return the console's address as a browser on this machine reaches it */
    String url() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port + ROOT;
    }

    /** What to print once on stdout (not the log): the address, the user, and a generated password. */
    String banner() {
        return "Felix Web Console: " + url() + "   user '" + USER + "', password "
                + (generated ? "'" + password + "' (generated for this run)" : "from --web-console-password-file")
                + System.lineSeparator() + "  Configuration: " + url() + "/configMgr   client status: " + url()
                + "/" + ClientStatusPrinter.LABEL;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "WebConsole[host=" + host + ", port=" + port + ", generated=" + generated + "]";
    }
}
