package org.sepl.connector.impl.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.sepl.connector.api.ConnectionListener;

/** A listener that writes down what it is told: "connected GATEWAY", "disconnected REASON". */
final class HeardCalls implements ConnectionListener {

    final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void connected(String gatewayId) {
        heard.add("connected " + gatewayId);
    }

    @Override
    public void disconnected(String reason) {
        heard.add("disconnected " + reason);
    }
}
