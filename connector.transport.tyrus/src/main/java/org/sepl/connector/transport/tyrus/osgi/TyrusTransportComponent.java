package org.sepl.connector.transport.tyrus.osgi;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.transport.tyrus.TyrusWebSocketTransport;

/**
 * The Tyrus transport as an OSGi service, shared by every client of the framework. Stopping the bundle closes its
 * connections; the clients move to another transport, or wait for one.
 */
@Component(name = TyrusTransportComponent.PID, service = WebSocketTransport.class,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = { WebSocketTransport.NAME + "=" + TyrusWebSocketTransport.TRANSPORT_NAME,
                Constants.SERVICE_RANKING + ":Integer=" + TyrusWebSocketTransport.RANKING })
@Designate(ocd = TyrusTransportComponent.Config.class)
public final class TyrusTransportComponent extends TyrusWebSocketTransport {

    public static final String PID = "org.sepl.connector.transport.tyrus";

    @ObjectClassDefinition(name = "SEPL connector WebSocket transport: Tyrus",
            description = "Eclipse Tyrus (Jakarta WebSocket) on its Grizzly client container; the default transport.")
    public @interface Config {
        @AttributeDefinition(name = "Service ranking",
                description = "A client uses the highest-ranked transport unless its configuration names one (JDK: 10).")
        int service_ranking() default TyrusWebSocketTransport.RANKING;
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
