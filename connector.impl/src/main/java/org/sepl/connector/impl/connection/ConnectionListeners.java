package org.sepl.connector.impl.connection;

import static java.lang.System.Logger.Level.WARNING;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.impl.executor.UserCallbacks;

/**
 * The user's {@link ConnectionListener}s and how they are told: on the callback lane (never the control lane or an
 * I/O thread), in the order the events happened, each call isolated (one that throws is logged and the others are
 * still told). A listener added while the client is ready hears {@code connected} at once.
 */
final class ConnectionListeners {

    private static final System.Logger LOG = System.getLogger(ConnectionListeners.class.getName());

    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final UserCallbacks callers;

    ConnectionListeners(UserCallbacks callers) {
        this.callers = callers;
    }

    /** @param readyGatewayId the gateway id if the client is ready now, else null */
    void add(ConnectionListener listener, Supplier<String> readyGatewayId) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        String gid = readyGatewayId.get();
        if (gid != null) {
            callers.run(() -> tell(listener, l -> l.connected(gid)));
        }
    }

    void remove(ConnectionListener listener) {
        listeners.remove(listener);
    }

    void connected(String gatewayId) {
        tellAll(l -> l.connected(gatewayId));
    }

    void disconnected(String reason) {
        tellAll(l -> l.disconnected(reason));
    }

    private void tellAll(Consumer<ConnectionListener> call) {
        for (ConnectionListener listener : listeners) {
            callers.run(() -> tell(listener, call));
        }
    }

    private static void tell(ConnectionListener listener, Consumer<ConnectionListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "A connection listener failed", e);
        }
    }
}
