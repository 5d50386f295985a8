package org.sepl.connector.emulator;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A port the emulator was told to listen on is taken: which one, for which server, so that {@link Main} can say. */
final class PortInUseException extends BindException {

    private static final long serialVersionUID = 1L;

    enum Server { WEBSOCKET, CONTROL }

    private final int port;
    private final Server server;

    PortInUseException(int port, Server server, String detail) {
        super("port " + port + " (" + (server == Server.WEBSOCKET ? "WebSocket" : "HTTP control") + ") is in use: " + detail);
        this.port = port;
        this.server = server;
    }

    int port() {
        return port;
    }

    Server server() {
        return server;
    }

    /**
     * Fails if {@code address} cannot be bound now. Java-WebSocket binds on its own thread and logs a bind failure
     * with a stack trace before we could report it, so a fixed port is tried here first.
     */
    static void check(InetSocketAddress address, Server server) throws PortInUseException {
        if (address.getPort() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the servers do: a port in TIME_WAIT is free
            probe.bind(address);
        } catch (BindException e) {
            throw new PortInUseException(address.getPort(), server, e.getMessage());
        } catch (IOException e) {
            // not a question of the port being taken: the server's own bind will tell
        }
    }
}
