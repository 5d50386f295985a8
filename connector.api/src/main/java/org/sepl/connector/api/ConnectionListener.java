package org.sepl.connector.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service told when the client becomes ready and when it loses the connection
 * (the original client's {@code con_callbck} and {@code discon_callbck}).
 * <p>
 * Calls come from one client thread, in order, never from the network thread; a listener registered while the
 * client is ready is told {@link #connected} at once. Keep them short: a slow listener delays the next call to
 * every listener, not the client.
 */
@ConsumerType
public interface ConnectionListener {

    /**
     * The client is connected and synchronised ({@link ConnectionState#READY}).
     *
     * @param gatewayId the gateway id the platform gave
     */
    void connected(String gatewayId);

    /**
     * The client is no longer ready; it reconnects by itself unless it was closed.
     *
     * @param reason why, for humans (no secrets)
     */
    void disconnected(String reason);
}
