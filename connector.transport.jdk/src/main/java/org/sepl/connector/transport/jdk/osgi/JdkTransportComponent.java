package org.sepl.connector.transport.jdk.osgi;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sepl.connector.api.transport.WebSocketTransport;
import org.sepl.connector.transport.jdk.JdkWebSocketTransport;

/**
 * The JDK transport as an OSGi service, shared by every client of the framework. Stopping the bundle closes its
 * connections; the clients move to another transport, or wait for one.
 */
@Component(name = JdkTransportComponent.PID, service = WebSocketTransport.class,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = { WebSocketTransport.NAME + "=" + JdkWebSocketTransport.TRANSPORT_NAME,
                Constants.SERVICE_RANKING + ":Integer=" + JdkWebSocketTransport.RANKING })
@Designate(ocd = JdkTransportComponent.Config.class)
public final class JdkTransportComponent extends JdkWebSocketTransport {

    public static final String PID = "org.sepl.connector.transport.jdk";

    @ObjectClassDefinition(name = "SEPL connector WebSocket transport: JDK",
            description = "The JDK's own WebSocket client (java.net.http): no library, threads only while busy.")
    public @interface Config {
        @AttributeDefinition(name = "Service ranking",
                description = "A client uses the highest-ranked transport unless its configuration names one (Tyrus: 20).")
        int service_ranking() default JdkWebSocketTransport.RANKING;
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
