package org.sepl.connector.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.transport.WebSocketTransport;

/**
 * What a plain-Java client uses when its builder was not given one, found on the class path with
 * {@link ServiceLoader}: the transport ({@code connector.transport.tyrus}, the default, or
 * {@code connector.transport.jdk}) and the outbox ({@code connector.store.memory}'s in-memory one).
 */
final class ClassPathDefaults {

    private ClassPathDefaults() {
    }

    /**
     * @param wanted a transport name, or empty for the highest-ranked one
     * @return a new transport, which the client owns
     * @throws IllegalStateException saying which artifact to add
     */
    static WebSocketTransport transport(String wanted) {
        List<WebSocketTransport> found = new ArrayList<>();
        ServiceLoader.load(WebSocketTransport.class, ClassPathDefaults.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(WebSocketTransport::ranking).reversed());
        if (found.isEmpty()) {
            throw new IllegalStateException("No WebSocket transport on the class path: add the artifact "
                    + "org.sepl.connector:connector.transport.tyrus (the default) or connector.transport.jdk (the lean "
                    + "one), or pass one to transport(...)");
        }
        if (wanted.isEmpty()) {
            return found.get(0);
        }
        return found.stream().filter(t -> t.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No WebSocket transport named '" + wanted
                        + "' on the class path (found: " + found.stream().map(WebSocketTransport::name).toList()
                        + ")"));
    }

    /**
     * @return a new outbox, which the client owns
     * @throws IllegalStateException saying which artifact to add
     */
    static Outbox outbox() {
        for (Outbox outbox : ServiceLoader.load(Outbox.class, ClassPathDefaults.class.getClassLoader())) {
            return outbox;
        }
        throw new IllegalStateException("No outbox on the class path: add the artifact "
                + "org.sepl.connector:connector.store.memory (the in-memory outbox), pass one to outbox(...) or "
                + "call outboxDisabled()");
    }
}
