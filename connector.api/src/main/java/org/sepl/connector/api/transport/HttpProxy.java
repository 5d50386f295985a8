package org.sepl.connector.api.transport;

/**
 * An HTTP proxy that a connection goes through with {@code CONNECT}, with optional basic authentication.
 *
 * @param host     the proxy's host
 * @param port     its port, 1-65535
 * @param user     the proxy user, or null for no authentication
 * @param password the proxy password (null without a user); never shown by {@link #toString()}
 */
public record HttpProxy(String host, int port, String user, String password) {

    /** @throws IllegalArgumentException naming what is wrong */
    public HttpProxy {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("proxy host must be set");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port must be between 1 and 65535, got " + port);
        }
        if (user == null && password != null) {
            throw new IllegalArgumentException("a proxy password needs a proxy user");
        }
    }

    /** A proxy without authentication. */
    public static HttpProxy of(String host, int port) {
        return new HttpProxy(host, port, null, null);
    }

    /** @return whether it needs basic authentication */
    public boolean authenticates() {
        return user != null;
    }

    /** The password is left out. */
    @Override
    public String toString() {
        return "HttpProxy[" + host + ":" + port + (user == null ? "" : ", user=" + user) + "]";
    }
}
