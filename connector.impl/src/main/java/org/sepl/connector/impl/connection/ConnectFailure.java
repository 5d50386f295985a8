package org.sepl.connector.impl.connection;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.sepl.connector.api.transport.HttpProxy;
import org.sepl.connector.impl.settings.ClientSettings;

/**
 * Says in words why a connection could not be opened, from the failure's cause chain, whatever the transport: a
 * {@code java.net.ConnectException} alone tells an operator nothing. Names the proxy when one was in the way (the
 * configured one, or the JVM's for that address), and the setting to look at.
 */
final class ConnectFailure {

    /**
     * The TLS alerts a server sends about the client's certificate (RFC 8446, 6.2): received after the handshake,
     * they mean the platform requires a client certificate and got none it accepts.
     */
    private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of("certificate_required", "bad_certificate",
            "unknown_ca", "certificate_unknown", "certificate_expired", "certificate_revoked",
            "unsupported_certificate", "access_denied");
    private static final String RECEIVED_ALERT = "Received fatal alert: ";
    /** HTTP 407, which only a proxy answers: in the transports' words for a refused CONNECT or upgrade. */
    private static final Pattern PROXY_AUTHENTICATION_REQUIRED = Pattern.compile("\\b407\\b");

    private ConnectFailure() {
    }

    static String describe(Throwable failure, ClientSettings settings) {
        URI uri = settings.uri();
        String where = uri.getHost() + ":" + uri.getPort();
        String proxy = proxyFor(settings);
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                // through a proxy, the client resolves only the proxy's name; the proxy resolves the platform's
                return proxy != null ? "unknown host: the proxy's name does not resolve (" + proxy + "; check "
                        + proxySettings(settings) + ")"
                        : "unknown host " + uri.getHost() + " (the name does not resolve; check host)";
            }
            if (c instanceof HttpConnectTimeoutException || c instanceof SocketTimeoutException
                    || c instanceof TimeoutException) {
                return "no connection to " + where + (proxy != null ? " through proxy " + proxy : "")
                        + " within the timeout (host down, or a firewall drops the packets?)";
            }
            if (c instanceof NoRouteToHostException) {
                return proxy != null ? "no route to proxy " + proxy + " (network down or proxy unreachable)"
                        : "no route to " + where + " (network down or host unreachable)";
            }
            if (c instanceof ConnectException) {
                return proxy != null ? "connection refused by proxy " + proxy + " (nothing listens there: check "
                        + proxySettings(settings) + ")"
                        : "connection refused by " + where + " (nothing listens on that port: check host, port and "
                                + "that the platform runs)";
            }
            if (c instanceof SSLException) {
                return tls(c.getMessage(), settings);
            }
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        if (proxy != null && PROXY_AUTHENTICATION_REQUIRED.matcher(message).find()) {
            return proxyRefusal(message, proxy, settings);
        }
        return message;
    }

    private static String tls(String message, ClientSettings settings) {
        String m = String.valueOf(message);
        String alert = m.contains(RECEIVED_ALERT) ? m.substring(m.indexOf(RECEIVED_ALERT) + RECEIVED_ALERT.length())
                .trim() : "";
        if (CLIENT_CERTIFICATE_ALERTS.contains(alert)) {
            String keyStore = settings.get(ClientSettings.KEY_STORE).trim();
            return keyStore.isEmpty()
                    ? "TLS refused by the platform (" + m + "): it requires a client certificate and none is "
                            + "configured: set keyStore to the gateway's key store and .keyStorePassword"
                    : "TLS refused by the platform (" + m + "): it does not accept the client certificate of keyStore "
                            + keyStore + " (it must be the gateway's, valid, and issued by a CA the platform trusts)";
        }
        String trustStore = settings.get(ClientSettings.TRUST_STORE).trim();
        return "TLS failed: " + m + " (the platform's certificate must be trusted by "
                + (trustStore.isEmpty() ? "the JVM (or set trustStore)" : "trustStore " + trustStore)
                + " and name the host " + settings.host() + ")";
    }

    private static String proxyRefusal(String message, String proxy, ClientSettings settings) {
        if (settings.proxy() == null) {
            return "proxy " + proxy + " wants credentials (" + message + "): the JVM's proxy settings carry none; "
                    + "set proxyHost, proxyPort, proxyUser and .proxyPassword";
        }
        return settings.proxy().authenticates()
                ? "proxy " + proxy + " refused the credentials (" + message + "): check proxyUser and .proxyPassword"
                : "proxy " + proxy + " wants credentials (" + message + "): set proxyUser and .proxyPassword";
    }

    private static String proxySettings(ClientSettings settings) {
        return settings.proxy() != null ? "proxyHost and proxyPort"
                : "the JVM's proxy settings " + (settings.encryption() ? "https" : "http") + ".proxyHost/Port";
    }

    /** @return {@code host:port} of the proxy the connection went through, or null when it went directly */
    private static String proxyFor(ClientSettings settings) {
        HttpProxy configured = settings.proxy();
        if (configured != null) {
            return configured.host() + ":" + configured.port();
        }
        ProxySelector jvm = ProxySelector.getDefault();
        if (jvm == null) {
            return null;
        }
        try {
            URI uri = settings.uri();
            for (Proxy p : jvm.select(new URI(settings.encryption() ? "https" : "http", null, uri.getHost(),
                    uri.getPort(), "/", null, null))) {
                if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a) {
                    return a.getHostString() + ":" + a.getPort();
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null; // no proxy to name
        }
        return null;
    }
}
