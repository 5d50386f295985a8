package org.sepl.connector.api;

/**
 * How often a client connected and lost its connection since it was built: for monitoring (a link that flaps shows
 * here long before anyone reads the log).
 *
 * @param established    times the client became {@link ConnectionState#READY} (connected and synchronised); every
 *                       one after the first is a reconnect
 * @param lost           times a ready connection was lost (the platform closed it, the network dropped it, the
 *                       keep-alive or the request timeouts found it dead, or the client moved to another transport)
 * @param failedAttempts connect attempts that did not get to {@code READY} (refused, handshake or synchronisation
 *                       failed, the link dropped before it was ready)
 * @since 1.3
 */
public record ConnectionCounts(long established, long lost, long failedAttempts) {

    /** Nothing counted yet. */
    public static final ConnectionCounts NONE = new ConnectionCounts(0, 0, 0);

    /** @return times the client connected again after its first connection ({@code established - 1}, at least 0) */
    public long reconnects() {
        return Math.max(0, established - 1);
    }
}
