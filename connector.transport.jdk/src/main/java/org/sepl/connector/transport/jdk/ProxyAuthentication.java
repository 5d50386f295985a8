package org.sepl.connector.transport.jdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Whether the JDK lets this transport authenticate to an HTTP proxy. A WebSocket always goes through a proxy in a
 * {@code CONNECT} tunnel, and the JDK leaves out a {@code Proxy-Authorization: Basic} header of a tunnel when its
 * property {@value #PROPERTY} names {@code Basic} (its {@code conf/net.properties} does, by default). The JDK reads
 * the property once, when its HTTP client is first used, so it can only be changed on the JVM's command line.
 */
final class ProxyAuthentication {

    static final String PROPERTY = "jdk.http.auth.tunneling.disabledSchemes";
    static final String DISABLED_EXPLAINED = "the jdk transport cannot log in to the HTTP proxy: this JVM disables "
            + "Basic authentication of proxy tunnels (" + PROPERTY + " names Basic, the JDK's default); start the JVM "
            + "with -D" + PROPERTY + "= or use the tyrus transport";

    private ProxyAuthentication() {
    }

    /** @return whether Basic authentication of tunnels is disabled in this JVM */
    static boolean basicDisabledForTunnels() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            value = fromNetProperties();
        }
        return namesBasic(value);
    }

    /** @return whether a {@value #PROPERTY} value names Basic */
    static boolean namesBasic(String value) {
        if (value == null) {
            return false;
        }
        for (String scheme : value.split(",")) {
            if (scheme.trim().toLowerCase(Locale.ROOT).equals("basic")) {
                return true;
            }
        }
        return false;
    }

    /** The JDK's default, from {@code ${java.home}/conf/net.properties}, as the JDK itself falls back to it. */
    private static String fromNetProperties() {
        Path file = Path.of(System.getProperty("java.home"), "conf", "net.properties");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        return p.getProperty(PROPERTY);
    }
}
