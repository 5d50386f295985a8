package org.sepl.connector.monitoring;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.sepl.connector.api.ClientStatus;

/**
 * Registers one {@link ClientMBean} per client on an MBean server (the JVM's platform one in the bundle) and removes
 * it when the client goes. The platform MBean server is the one {@code jconsole PID}, VisualVM and Karaf's JMX
 * connector show, and it needs no JMX whiteboard bundle. Thread-safe.
 */
public final class ClientMBeans implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClientMBeans.class.getName());

    private final MBeanServer server;
    private final Map<Object, ObjectName> registered = new HashMap<>(); // guarded by this

    public ClientMBeans(MBeanServer server) {
        this.server = server;
    }

    /**
     * Registers the MBean of a client. A stale MBean of the same name (left by an earlier copy of this bundle that
     * could not remove it) is replaced.
     *
     * @param key    what identifies the client for {@link #remove}
     * @param client the client's name (its configuration PID)
     */
    public synchronized void add(Object key, String client, Supplier<ClientStatus> status) {
        ObjectName name = ClientMBean.objectName(client);
        ClientMBean bean = new ClientMBean(client, status);
        try {
            try {
                server.registerMBean(bean, name);
            } catch (InstanceAlreadyExistsException e) {
                server.unregisterMBean(name);
                server.registerMBean(bean, name);
            }
            registered.put(key, name);
            LOG.log(DEBUG, "JMX MBean {0} registered", name);
        } catch (JMException | RuntimeException e) {
            LOG.log(WARNING, "Cannot register the JMX MBean " + name + " of client " + client + ": " + e);
        }
    }

    /** Removes the MBean of the client registered under {@code key}, if any. */
    public synchronized void remove(Object key) {
        ObjectName name = registered.remove(key);
        if (name != null) {
            unregister(name);
        }
    }

    private void unregister(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // already gone
        } catch (JMException | RuntimeException e) {
            LOG.log(WARNING, "Cannot remove the JMX MBean " + name + ": " + e);
        }
    }

    /** Removes every MBean registered here. */
    @Override
    public synchronized void close() {
        registered.values().forEach(this::unregister);
        registered.clear();
    }
}
