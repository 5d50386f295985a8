package org.sepl.connector.emulator;

/** What connection attempts are counted by, for {@link PlatformEmulator.Faults#throttleConnections}. */
public enum ThrottleKey {
    /** The account of the credentials frame. */
    USER,
    /** The client's IP address (the gateway's, also behind the link-fault relay). */
    ADDRESS;

    /** The name in the control API's JSON: {@code "user"} or {@code "address"}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
