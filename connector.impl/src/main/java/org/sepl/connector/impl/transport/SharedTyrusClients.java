package org.sepl.connector.impl.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;

import org.glassfish.tyrus.client.ClientManager;

/**
 * Tyrus {@link ClientManager}s shared by the transports of several clients, so that they share the manager's
 * thread pools instead of each client having its own.
 * <p>
 * A manager's properties (TLS, incoming frame size, handshake timeout) apply to every connect made through it, and
 * Tyrus copies them from a plain {@code HashMap} at each connect: writing them per connect, as a manager of one's own
 * allows, would let one client's values leak into another's connect (and race with the copy). So each manager is
 * configured once, when created, and never written afterwards; clients whose settings differ get different managers.
 * Clients with the same settings (the usual fleet) share one.
 */
public final class SharedTyrusClients implements AutoCloseable {

    /** What a manager is configured with; the TLS context by identity. */
    private record Settings(SSLContext sslContext, int maxFrameBytes, int handshakeTimeoutMillis, boolean tls) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s && s.sslContext == sslContext && s.maxFrameBytes == maxFrameBytes
                    && s.handshakeTimeoutMillis == handshakeTimeoutMillis && s.tls == tls;
        }

        @Override
        public int hashCode() {
            return ((System.identityHashCode(sslContext) * 31 + maxFrameBytes) * 31 + handshakeTimeoutMillis) * 2
                    + (tls ? 1 : 0);
        }
    }

    private final Map<Settings, ClientManager> managers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** The manager for these settings, created (and configured, once) the first time. */
    ClientManager manager(SSLContext sslContext, int maxFrameBytes, int handshakeTimeoutMillis, boolean tls) {
        if (closed) {
            throw new IllegalStateException("the shared client resources are closed");
        }
        return managers.computeIfAbsent(new Settings(sslContext, maxFrameBytes, handshakeTimeoutMillis, tls), s -> {
            ClientManager m = TyrusTransport.newManager(s.sslContext(), s.maxFrameBytes(), s.tls());
            m.getProperties().put(org.glassfish.tyrus.client.ClientProperties.HANDSHAKE_TIMEOUT, s.handshakeTimeoutMillis());
            return m;
        });
    }

    /** How many managers the differing client settings needed (1 when all clients are configured alike). */
    public int managerCount() {
        return managers.size();
    }

    /** Ends the managers' thread pools; the clients using them must be closed first. */
    @Override
    public void close() {
        closed = true;
        managers.values().forEach(ClientManager::shutdown);
        managers.clear();
    }
}
