package org.sepl.connector.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.sepl.connector.api.ClientStatus;

/**
 * One client as a read-only JMX MBean, for {@code jconsole}, VisualVM or Karaf's JMX: its state, gateway id, state
 * since and last error as text, then every figure of {@link ClientFigures} as a number, each described by the
 * figure's help. A dynamic MBean, so that its attributes are the figures' list and not a second list kept by hand.
 * Every read takes a fresh {@link ClientStatus} (one per {@link #getAttributes} call).
 */
public final class ClientMBean implements DynamicMBean {

    /** The JMX domain of the connector's MBeans. */
    public static final String DOMAIN = "org.sepl.connector";

    /** The text attributes: name, help, value. */
    private static final Map<String, Text> TEXTS = texts();

    private record Text(String help, Function<ClientStatus, String> value) {
    }

    private final String client;
    private final Supplier<ClientStatus> status;
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final MBeanInfo info;

    /**
     * @param client the client's name (its configuration PID)
     * @param status the client's status, read at every access
     */
    public ClientMBean(String client, Supplier<ClientStatus> status) {
        this.client = client;
        this.status = status;
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        TEXTS.forEach((name, text) -> attributes.add(
                new MBeanAttributeInfo(name, String.class.getName(), text.help(), true, false, false)));
        for (Figure f : ClientFigures.ALL) {
            figures.put(f.attribute(), f);
            attributes.add(new MBeanAttributeInfo(f.attribute(), (f.integral() ? Long.class : Double.class).getName(),
                    f.help() + (f.labelName() == null ? "" : " (" + f.labelName() + " " + f.labelValue() + ")"), true,
                    false, false));
        }
        info = new MBeanInfo(ClientMBean.class.getName(), "SEPL connector client " + client + ": its status and "
                + "figures (read-only)", attributes.toArray(MBeanAttributeInfo[]::new), null,
                new MBeanOperationInfo[0], null);
    }

    private static Map<String, Text> texts() {
        Map<String, Text> t = new LinkedHashMap<>();
        t.put("State", new Text("The connection state: DISCONNECTED, CONNECTING, SYNCHRONISING, READY or CLOSED",
                s -> s.state().name()));
        t.put("GatewayId", new Text("The gateway id the platform assigned (empty before the first handshake)",
                ClientStatus::gatewayId));
        t.put("StateSince", new Text("When the client entered its state (ISO-8601)",
                s -> s.stateSince() == null ? null : s.stateSince().toString()));
        t.put("LastError", new Text("The last connection error, or empty", s -> s.lastError() == null ? ""
                : s.lastError()));
        return java.util.Collections.unmodifiableMap(t);
    }

    /** @return {@code org.sepl.connector:type=ConnectorClient,name="PID"} */
    public static ObjectName objectName(String client) {
        try {
            return new ObjectName(DOMAIN + ":type=ConnectorClient,name=" + ObjectName.quote(client));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("no JMX name for client '" + client + "': " + e.getMessage(), e);
        }
    }

    /** @return the client's name */
    public String client() {
        return client;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        return read(attribute, status.get());
    }

    private Object read(String attribute, ClientStatus s) throws AttributeNotFoundException {
        Text text = TEXTS.get(attribute);
        if (text != null) {
            return text.value().apply(s);
        }
        Figure figure = figures.get(attribute);
        if (figure == null) {
            throw new AttributeNotFoundException("no attribute '" + attribute + "': see the MBean's attributes");
        }
        return figure.valueIn(s);
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        ClientStatus s = status.get();
        AttributeList list = new AttributeList();
        for (String name : attributes) {
            try {
                list.add(new Attribute(name, read(name, s)));
            } catch (AttributeNotFoundException e) {
                // left out, as the JMX contract wants
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("attribute '" + attribute.getName() + "' is read-only: the MBean only shows");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList(); // nothing set: read-only
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("the client's MBean has no operations (asked for '" + actionName + "')");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
