package org.sepl.connector.launcher;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A platform endpoint as {@code --platform} gives it: {@code ws://HOST:PORT} or {@code wss://HOST:PORT}. The client
 * always connects to {@code /} of that host and port, so anything it would silently drop (a path, a query, a
 * fragment, user info) is refused, as is a port outside 1-65535. A missing port means the scheme's default (80 for
 * ws, 443 for wss), which {@link #portDefaulted()} reports so that the launcher can say so.
 *
 * @param uri           the endpoint as given
 * @param host          its host
 * @param port          its port, or the scheme's default
 * @param encrypted     {@code wss://}
 * @param portDefaulted no port was given
 */
record PlatformAddress(URI uri, String host, int port, boolean encrypted, boolean portDefaulted) {

    static final int WS_DEFAULT_PORT = 80;
    static final int WSS_DEFAULT_PORT = 443;

    /**
     * @throws IllegalArgumentException naming {@code --platform}, the bad value and what is allowed
     */
    static PlatformAddress parse(String value) {
        if (!value.contains("://")) {
            // host:port, IP:port or a bare host: what users type first; new URI() would call "127.0.0.1" a bad scheme
            throw new IllegalArgumentException("--platform must start with ws:// or wss://, was '" + value
                    + "': for an unencrypted connection write ws://" + value.strip() + ", with TLS wss://"
                    + value.strip());
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw invalid(value, "not a URI (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
            throw new IllegalArgumentException("--platform must start with ws:// or wss://, was '" + value + "'");
        }
        boolean encrypted = scheme.equalsIgnoreCase("wss");
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw invalid(value, "no host");
        }
        if (uri.getHost() == null) {
            throw invalid(value, "'" + uri.getRawAuthority() + "' is not HOST or HOST:PORT (the port must be a number)");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(value, "user info '" + uri.getRawUserInfo() + "@' is not used: give --user and --password");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw invalid(value, "the path '" + path + "' would be dropped: the client connects to / of HOST:PORT");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(value, "a query or fragment would be dropped: give ws://HOST:PORT or wss://HOST:PORT only");
        }
        if (uri.getRawAuthority().endsWith(":")) {
            throw invalid(value, "the port after ':' is empty");
        }
        int port = uri.getPort();
        boolean defaulted = port == -1;
        if (defaulted) {
            port = encrypted ? WSS_DEFAULT_PORT : WS_DEFAULT_PORT;
        } else if (port < 1 || port > 65535) {
            throw invalid(value, "port " + port + " is out of range 1-65535");
        }
        return new PlatformAddress(uri, uri.getHost(), port, encrypted, defaulted);
    }

    private static IllegalArgumentException invalid(String value, String problem) {
        return new IllegalArgumentException("--platform '" + value + "': " + problem);
    }
}
