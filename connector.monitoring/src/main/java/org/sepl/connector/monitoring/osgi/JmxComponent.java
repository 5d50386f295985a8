package org.sepl.connector.monitoring.osgi;

import java.lang.management.ManagementFactory;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.monitoring.ClientMBeans;
import org.sepl.connector.monitoring.MonitoredClients;

/**
 * One JMX MBean per {@link ConnectorClient} service, {@code org.sepl.connector:type=ConnectorClient,name="PID"}, on the
 * JVM's platform MBean server: the server {@code jconsole}, VisualVM and Karaf's JMX (which uses the platform server)
 * show. Registered directly rather than through a JMX whiteboard, which a plain Felix does not have; removed when
 * the client goes or this bundle stops.
 */
@Component(immediate = true)
public final class JmxComponent {

    private final ClientMBeans beans = new ClientMBeans(ManagementFactory.getPlatformMBeanServer());

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addClient(ConnectorClient client, Map<String, Object> properties) {
        MonitoredClients.Client c = MonitoredClients.of(client, properties);
        beans.add(client, c.name(), c.status());
    }

    void removeClient(ConnectorClient client) {
        beans.remove(client);
    }

    @Deactivate
    void deactivate() {
        beans.close();
    }
}
