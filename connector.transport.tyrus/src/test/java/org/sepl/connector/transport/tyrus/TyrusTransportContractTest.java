package org.sepl.connector.transport.tyrus;

import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.testkit.WebSocketTransportContract;

/** The transport contract on the Tyrus transport. */
class TyrusTransportContractTest extends WebSocketTransportContract {

    @Override
    protected WebSocketTransport newTransport() {
        return new TyrusWebSocketTransport();
    }
}
