package org.sepl.connector.emulator;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.sepl.connector.emulator.GatewayRegistry.StoredGateway;

/**
 * One connection's protocol state: who it is (after the handshake), which devices it listens to, and how many
 * errors in a row it got. Frames of one connection are handled one at a time; {@link #listening} is also read
 * and changed by other connections' requests, under the {@link GatewayRegistry}'s lock.
 */
final class Session {

    final Object connection; // the transport's handle, for Endpoint
    final String clientAddress; // the gateway's IP address, for throttling; null if unknown
    String user;
    String gatewayId; // null until the handshake succeeded
    final Set<String> listening = new LinkedHashSet<>(); // changed only through the methods below
    int consecutiveErrors;
    /*
     * So that a commit costs O(changes), not O(listened devices): while this session is "in step" with a
     * gateway (its committed set had the version seen here when it last equalled what this session listened
     * to), listeningChanges says per device whether it is listened to now; every other device is listened to
     * iff it is in the committed set.
     */
    private StoredGateway inStepWith;
    private long inStepVersion;
    private final Map<String, Boolean> listeningChanges = new HashMap<>();

    Session(Object connection, String clientAddress) {
        this.connection = connection;
        this.clientAddress = clientAddress;
    }

    void listen(String uri) {
        if (listening.add(uri)) {
            listeningChanges.put(uri, Boolean.TRUE);
        }
    }

    boolean unlisten(String uri) {
        if (listening.remove(uri)) {
            listeningChanges.put(uri, Boolean.FALSE);
            return true;
        }
        return false;
    }

    void unlistenAll() {
        listening.clear();
        inStepWith = null;
        listeningChanges.clear();
    }

    /** Listens to exactly {@code g}'s committed devices: in step with it. */
    void listenToCommitted(StoredGateway g) {
        listening.clear();
        listening.addAll(g.committed);
        inStep(g);
    }

    /** Makes {@code g}'s committed devices what this session listens to: O(changes) when in step. */
    void commitTo(StoredGateway g) {
        if (inStepWith == g && inStepVersion == g.committedVersion) {
            listeningChanges.forEach((uri, listened) -> {
                if (listened) {
                    g.committed.add(uri);
                } else {
                    g.committed.remove(uri);
                }
            });
        } else {
            g.committed.clear();
            g.committed.addAll(listening);
        }
        g.committedVersion++;
        inStep(g);
    }

    private void inStep(StoredGateway g) {
        inStepWith = g;
        inStepVersion = g.committedVersion;
        listeningChanges.clear();
    }

    boolean handshaken() {
        return gatewayId != null;
    }
}
