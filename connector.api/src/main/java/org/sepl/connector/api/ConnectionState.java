package org.sepl.connector.api;

/** Where a {@link ConnectorClient} stands with the platform. */
public enum ConnectionState {
    /** Not connected; a (re)connect attempt is scheduled. */
    DISCONNECTED,
    /** Opening the WebSocket and sending the credentials. */
    CONNECTING,
    /** Handshake done; bringing the platform's device list in line with the device manager. */
    SYNCHRONISING,
    /** Synchronised: events, responses and device changes are sent. */
    READY,
    /** Stopped for good (component deactivated or client closed). */
    CLOSED
}
