package org.sepl.connector.impl.wire;

/** Names of the wire protocol (docs/PROTOCOL.md). */
public final class Protocol {
    public static final String CREDENTIALS_TOKEN = "credentials";
    public static final String CLEAR = "clear";
    public static final String PUT = "put";
    public static final String DISCONNECT = "disconnect";
    public static final String DELETE = "delete";
    public static final String COMMIT = "commit";
    public static final String EVENT = "event";
    public static final String RESPONSE = "response";
    public static final String COMMAND = "command";

    private Protocol() {
    }
}
