package org.sepl.connector.monitoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectorClient;

/**
 * The clients a monitoring view shows, as the framework hands their services over: each with its name and platform
 * from its service properties. Thread-safe.
 */
public final class MonitoredClients {

    /** Service property of each client: the PID of its configuration (connector.impl sets it). */
    public static final String CONFIG_PID = "connector.config.pid";

    /** One client: its name, platform and status. */
    public record Client(String name, String platform, Supplier<ClientStatus> status) {
    }

    private final Map<Object, Client> clients = new ConcurrentHashMap<>();

    /** @return a client service as monitoring names it (its PID, its {@code host:port}) */
    public static Client of(ConnectorClient client, Map<String, ?> properties) {
        Object pid = properties.get(CONFIG_PID);
        String name = pid == null ? "client-" + Integer.toHexString(System.identityHashCode(client)) : pid.toString();
        Object host = properties.get("host");
        Object port = properties.get("port");
        String platform = host == null ? "" : host + (port == null ? "" : ":" + port);
        return new Client(name, platform, client::status);
    }

    public void add(Object key, Client client) {
        clients.put(key, client);
    }

    public Client remove(Object key) {
        return clients.remove(key);
    }

    /** @return every client's status now, by name */
    public List<ClientReading> readings() {
        List<Client> sorted = new ArrayList<>(clients.values());
        sorted.sort(Comparator.comparing(Client::name));
        List<ClientReading> readings = new ArrayList<>(sorted.size());
        for (Client c : sorted) {
            readings.add(new ClientReading(c.name(), c.platform(), c.status().get()));
        }
        return readings;
    }

    /** @return the Prometheus text of every client now */
    public String prometheusText() {
        return PrometheusText.of(readings());
    }
}
