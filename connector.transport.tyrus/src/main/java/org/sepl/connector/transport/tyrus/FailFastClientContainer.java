package org.sepl.connector.transport.tyrus;

import java.io.IOException;
import java.util.Map;

import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientContainer;
import org.glassfish.tyrus.spi.ClientEngine;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;

/**
 * Tyrus's Grizzly client container, which hands each connection attempt's engine to the attempt's
 * {@link TlsFailureWatch}, so that a TLS failure before the upgrade's answer ends the connect at once. Tyrus creates
 * its container by class name ({@code ClientManager.createClient}), through the thread's context class loader: this
 * bundle's.
 */
public final class FailFastClientContainer extends GrizzlyClientContainer {

    /** For Tyrus, which instantiates it by name. */
    public FailFastClientContainer() {
    }

    @Override
    public void openClientSocket(ClientEndpointConfig config, Map<String, Object> properties, ClientEngine engine)
            throws DeploymentException, IOException {
        if (config != null && config.getUserProperties().get(TlsFailureWatch.PROPERTY) instanceof TlsFailureWatch w) {
            w.engine(engine);
        }
        super.openClientSocket(config, properties, engine);
    }
}
