package org.sepl.connector.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ClientStatus;

/** The MBean as jconsole sees it: through the platform MBean server. */
class ClientMBeanTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ClientMBeans beans = new ClientMBeans(server);
    private final AtomicReference<ClientStatus> status = new AtomicReference<>(Statuses.full());

    @AfterEach
    void close() {
        beans.close();
    }

    @Test
    void theClientsFiguresAreAttributesOfItsMBean() throws Exception {
        beans.add("key", "org.sepl.connector.client~test", status::get);
        ObjectName name = new ObjectName("org.sepl.connector:type=ConnectorClient,name=\"org.sepl.connector.client~test\"");
        assertTrue(server.isRegistered(name), "not registered as " + name);

        assertEquals("READY", server.getAttribute(name, "State"));
        assertEquals("gw-42", server.getAttribute(name, "GatewayId"));
        assertEquals("", server.getAttribute(name, "LastError"));
        assertEquals(11L, server.getAttribute(name, "OutboxDepth"));
        assertEquals(3L, server.getAttribute(name, "Reconnects"));
        assertEquals(0.009, server.getAttribute(name, "RequestRoundTripP99Seconds"));
        assertEquals(3L, server.getAttribute(name, "LedgerRefusedFull"));

        MBeanAttributeInfo depth = Arrays.stream(server.getMBeanInfo(name).getAttributes())
                .filter(a -> a.getName().equals("OutboxDepth")).findFirst().orElseThrow();
        assertEquals(Long.class.getName(), depth.getType());
        assertEquals("Messages in the outbox, not yet settled", depth.getDescription());
        assertTrue(depth.isReadable() && !depth.isWritable());
        assertEquals(4 + ClientFigures.ALL.size(), server.getMBeanInfo(name).getAttributes().length);

        status.set(Statuses.bare());
        AttributeList list = server.getAttributes(name, new String[] { "State", "OutboxDepth", "NoSuchThing" });
        assertEquals("DISCONNECTED", ((Attribute) list.get(0)).getValue());
        assertNull(((Attribute) list.get(1)).getValue(), "no outbox: no depth");
        assertEquals(2, list.size(), "an unknown attribute is left out");
        assertThrows(AttributeNotFoundException.class, () -> server.getAttribute(name, "NoSuchThing"));
        assertThrows(Exception.class, () -> server.setAttribute(name, new Attribute("State", "READY")));

        beans.remove("key");
        assertFalse(server.isRegistered(name), "still registered after its client went");
    }

    @Test
    void aStaleMBeanOfTheSameNameIsReplaced() throws Exception {
        ObjectName name = ClientMBean.objectName("pid");
        server.registerMBean(new ClientMBean("pid", Statuses::bare), name);
        beans.add("key", "pid", status::get);
        assertEquals("READY", server.getAttribute(name, "State"));
        beans.close();
        assertFalse(server.isRegistered(name));
    }

    @Test
    void namesWithJmxSpecialCharactersAreQuoted() throws Exception {
        String odd = "a,b=c:d*\"e";
        beans.add("key", odd, status::get);
        ObjectName name = ClientMBean.objectName(odd);
        assertEquals(odd, ObjectName.unquote(name.getKeyProperty("name")));
        assertEquals("READY", server.getAttribute(name, "State"));
    }
}
