package org.sepl.connector.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectionCounts;
import org.sepl.connector.api.RoundTrips;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.Response;

/**
 * Gogo shell commands for the SEPL connector, in scope {@code sepl}:
 * <ul>
 * <li>{@code sepl:status}: state, gateway id, device count, requests in flight, last error, connections, round
 * trips, outbox (its flow and the loss ledger) of every client;</li>
 * <li>{@code sepl:devices}: the devices of the device manager in use (id, type, name, tags);</li>
 * <li>{@code sepl:event <deviceId> <serviceId> [data]}: sends an event and prints the platform's answer.</li>
 * </ul>
 * Gogo finds the commands through the {@code osgi.command.*} service properties and calls the public methods of
 * this class by name; each returns the text Gogo prints. Commands run on the shell's thread; {@code event} blocks
 * it for at most the client's request timeout.
 * <p>
 * <b>Help and usage.</b> Every command and parameter carries a {@link Descriptor}, which {@code help sepl:event}
 * shows. Arguments that fit none of a command's forms reach its {@code get…(Object...)} method instead of ending
 * in Gogo's "Cannot coerce" error: Gogo also resolves a command {@code x} to a public method {@code getX}, and
 * prefers a method named exactly {@code x} whenever the arguments fit one. Those methods print the usage
 * ({@link CommandUsage}, made from the same descriptors); {@code help} lists only the methods named exactly like
 * the command, so they stay out of it.
 */
@Component(service = SeplCommands.class, property = {
        "osgi.command.scope=" + SeplCommands.SCOPE,
        "osgi.command.function=status",
        "osgi.command.function=devices",
        "osgi.command.function=event" })
public final class SeplCommands {

    /** The Gogo scope of these commands ({@code osgi.command.scope}). */
    static final String SCOPE = "sepl";

    /** Service property connector.impl gives each client: the PID of its configuration. */
    private static final String CONFIG_PID = "connector.config.pid";

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, ConnectorClient>> clients = List.of();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DeviceManager deviceManager;

    /** {@code sepl:status}: one block per client. */
    @Descriptor("shows the state, gateway id, device count, requests in flight, last error, connections, round trips, outbox and loss ledger of every connector client")
    public String status() {
        List<Map.Entry<Map<String, Object>, ConnectorClient>> current = byRanking();
        if (current.isEmpty()) {
            return "No connector client. Configure org.sepl.connector.client (host, port, user, .password).";
        }
        DeviceManager manager = deviceManager;
        String deviceCount = manager == null ? "no device manager" : String.valueOf(manager.devices().size());
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Map<String, Object>, ConnectorClient> entry : current) {
            Map<String, Object> props = entry.getKey();
            ClientStatus status = entry.getValue().status();
            out.append("Client ").append(props.getOrDefault(CONFIG_PID, "?"))
                    .append(" (").append(props.getOrDefault("user", "?")).append('@')
                    .append(props.getOrDefault("host", "?")).append(':').append(props.getOrDefault("port", "?"))
                    .append(")\n");
            line(out, "state", status.state() + " since " + status.stateSince());
            line(out, "gateway id", status.gatewayId().isEmpty() ? "(none yet)" : status.gatewayId());
            line(out, "devices", deviceCount);
            line(out, "requests in flight", String.valueOf(status.requestsInFlight()));
            line(out, "commands queued", String.valueOf(status.commandsQueued()));
            line(out, "last error", status.lastError() == null ? "-" : status.lastError());
            if (status.connections() != null) {
                line(out, "connections", connections(status.connections()));
            }
            if (status.roundTrips() != null) {
                line(out, "round trips", roundTrips(status.roundTrips()));
            }
            line(out, "outbox", outbox(status.outbox()));
            if (status.outbox() != null && status.outboxFlow() != null) {
                line(out, "outbox flow", flow(status.outboxFlow()));
            }
            if (status.ledger() != null) {
                ledger(out, status.ledger());
            }
        }
        return out.toString();
    }

    /** {@code sepl:devices}: the devices the client synchronises, sorted by id. */
    @Descriptor("lists the devices of the device manager in use (id, type, name, tags), sorted by id")
    public String devices() {
        DeviceManager manager = deviceManager;
        if (manager == null) {
            return "No device manager. Start connector.store.memory or connector.store.sqlite.";
        }
        List<Device> devices = new ArrayList<>(manager.devices());
        if (devices.isEmpty()) {
            return "No devices.";
        }
        devices.sort(Comparator.comparing(Device::id));
        StringBuilder out = new StringBuilder(String.format("%-24s %-24s %-24s %s%n", "ID", "TYPE", "NAME", "TAGS"));
        for (Device device : devices) {
            out.append(String.format("%-24s %-24s %-24s %s%n", device.id(), device.type(), device.name(),
                    String.join(";", device.tagsAsStrings())));
        }
        return out.toString();
    }

    /**
     * {@code sepl:event <deviceId> <serviceId> <data>}: sends an event through the highest-ranked client and
     * waits for the platform's answer. Quote JSON data in single quotes, since Gogo reads braces as a closure:
     * {@code sepl:event demo-meter-1 reading '{"energy_kwh":1.5}'}.
     */
    @Descriptor("sends an event through the highest-ranked client and prints the platform's answer")
    public String event(
            @Descriptor("the device's gateway-local id, as sepl:devices shows it") String deviceId,
            @Descriptor("the service the event belongs to (service_uri), e.g. reading") String serviceId,
            @Descriptor("the event's data, usually JSON in single quotes: '{\"kwh\":1.5}'") String data) {
        Objects.requireNonNull(deviceId, "deviceId must not be null");
        Objects.requireNonNull(serviceId, "serviceId must not be null");
        List<Map.Entry<Map<String, Object>, ConnectorClient>> current = byRanking();
        if (current.isEmpty()) {
            return "No connector client: nothing sent.";
        }
        ConnectorClient client = current.get(0).getValue();
        try {
            Response response = client.event(deviceId, serviceId, data, null);
            return (response.isSuccess() ? "Acknowledged: " : "Refused: ") + response.status() + " "
                    + response.payloadText();
        } catch (ConnectorException e) {
            return "No answer (" + e.reason() + "): " + e.getMessage();
        }
    }

    /** {@code sepl:event <deviceId> <serviceId>}: an event without data. */
    @Descriptor("sends an event without data")
    public String event(
            @Descriptor("the device's gateway-local id, as sepl:devices shows it") String deviceId,
            @Descriptor("the service the event belongs to (service_uri), e.g. reading") String serviceId) {
        return event(deviceId, serviceId, null);
    }

    // ---- wrong arguments: the usage (see the class comment for why these are named get…) -----------------

    /** {@code sepl:status} with arguments: it takes none. */
    public String getStatus(Object... arguments) {
        return wrongArguments("status", arguments);
    }

    /** {@code sepl:devices} with arguments: it takes none. */
    public String getDevices(Object... arguments) {
        return wrongArguments("devices", arguments);
    }

    /** {@code sepl:event} with fewer than two or more than three arguments. */
    public String getEvent(Object... arguments) {
        return wrongArguments("event", arguments);
    }

    /** @return the usage of {@code sepl:<function>} */
    static String usage(String function) {
        return CommandUsage.of(SeplCommands.class, SCOPE, function);
    }

    private static String wrongArguments(String function, Object[] arguments) {
        int given = arguments == null ? 0 : arguments.length;
        return SCOPE + ":" + function + ": wrong arguments (" + given + (given == 1 ? " argument" : " arguments")
                + " given)\n" + usage(function);
    }

    private static String outbox(OutboxStatus outbox) {
        if (outbox == null) {
            return "disabled (events fail while not ready)";
        }
        return outbox.depth() + " pending (" + outbox.bytes() + " bytes, oldest " + outbox.oldestAge().toMillis()
                + " ms); stored " + outbox.stored() + ", delivered " + outbox.delivered() + ", rejected "
                + outbox.rejected() + ", dropped " + outbox.dropped() + ", expired " + outbox.expired() + ", refused "
                + outbox.refused();
    }

    /** e.g. "ready 4 times (3 reconnects), lost 3, failed attempts 9" */
    static String connections(ConnectionCounts c) {
        return "ready " + c.established() + (c.established() == 1 ? " time" : " times") + " (" + c.reconnects()
                + (c.reconnects() == 1 ? " reconnect" : " reconnects") + "), lost " + c.lost() + ", failed attempts "
                + c.failedAttempts();
    }

    /** e.g. "1000 answered; last minute: p50 1.5 ms, p90 3.0 ms, p99 9.0 ms, max 12 ms (40 answers)" */
    static String roundTrips(RoundTrips r) {
        String answered = r.count() + " answered; ";
        if (r.recentCount() == 0) {
            return answered + "none in the last minute";
        }
        return answered + "last minute: p50 " + millis(r.p50()) + ", p90 " + millis(r.p90()) + ", p99 "
                + millis(r.p99()) + ", max " + millis(r.max()) + " (" + r.recentCount()
                + (r.recentCount() == 1 ? " answer)" : " answers)");
    }

    private static String millis(java.time.Duration d) {
        double ms = d.toNanos() / 1e6;
        return (ms >= 10 ? String.valueOf(Math.round(ms)) : String.format(java.util.Locale.ROOT, "%.1f", ms)) + " ms";
    }

    /** e.g. "in 12/s, out 11.5/s; full in about 42 min at this pace" */
    static String flow(OutboxFlow flow) {
        String rates = "in " + rate(flow.ingestPerSecond()) + "/s, out " + rate(flow.drainPerSecond()) + "/s; ";
        if (!flow.filling()) {
            return rates + "not filling";
        }
        long seconds = flow.timeUntilFull().toSeconds();
        return rates + (seconds == 0 ? "FULL" : "full in about " + (seconds < 120 ? seconds + " s"
                : seconds / 60 + " min") + " at this pace");
    }

    private static String rate(double perSecond) {
        return perSecond >= 10 ? String.valueOf(Math.round(perSecond))
                : String.format(java.util.Locale.ROOT, "%.1f", perSecond);
    }

    /** The ledger's two balances ({@link DeliveryLedger#toString()}), one per line. */
    private static void ledger(StringBuilder out, DeliveryLedger ledger) {
        String label = "ledger";
        for (String balance : ledger.toString().split("; ")) {
            line(out, label, balance);
            label = "";
        }
    }

    private static void line(StringBuilder out, String label, String value) {
        if (label.isEmpty()) {
            out.append(String.format("  %-20s%s%n", "", value));
            return;
        }
        out.append(String.format("  %-20s%s%n", label + ':', value));
    }

    /** The clients, highest service ranking first (DS hands them over in ascending order). */
    private List<Map.Entry<Map<String, Object>, ConnectorClient>> byRanking() {
        List<Map.Entry<Map<String, Object>, ConnectorClient>> sorted = new ArrayList<>(clients);
        sorted.sort(Comparator.comparingInt((Map.Entry<Map<String, Object>, ConnectorClient> e) -> ranking(e.getKey()))
                .reversed());
        return sorted;
    }

    private static int ranking(Map<String, Object> props) {
        return props.get("service.ranking") instanceof Integer i ? i : 0;
    }
}
