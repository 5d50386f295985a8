package org.sepl.connector.transport.jdk;

import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.testkit.WebSocketTransportContract;

/** The transport contract on the JDK transport. */
class JdkTransportContractTest extends WebSocketTransportContract {

    @Override
    protected WebSocketTransport newTransport() {
        return new JdkWebSocketTransport();
    }
}
