package org.sepl.connector.monitoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectionCounts;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.RoundTrips;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;

/**
 * The one list of a client's figures that monitoring shows: the JMX MBean ({@link ClientMBean}) and the Prometheus
 * text ({@link PrometheusText}) both read it, so a figure added here appears in both, with the same name and help.
 * Every figure is read from {@link ClientStatus}: nothing here holds a secret (the status has none).
 * <p>
 * Counters count since the client was built (a restart of the gateway starts them again, as Prometheus expects of
 * counters). Times are in seconds.
 */
public final class ClientFigures {

    /** The quantiles of the round-trip summary, and where each is in {@link RoundTrips}. */
    private static final List<Quantile> QUANTILES = List.of(
            new Quantile("0.5", "p50", RoundTrips::p50),
            new Quantile("0.9", "p90", RoundTrips::p90),
            new Quantile("0.99", "p99", RoundTrips::p99));

    /** Every figure, in the order the views list them. */
    public static final List<Figure> ALL = all();

    private record Quantile(String label, String shortName, Function<RoundTrips, Duration> value) {
    }

    private ClientFigures() {
    }

    private static List<Figure> all() {
        List<Figure> f = new ArrayList<>();
        f.add(gauge("ready", "1 while the client is connected and synchronised (READY), else 0",
                s -> s.state() == ConnectionState.READY ? 1 : 0));
        for (ConnectionState state : ConnectionState.values()) {
            String label = state.name().toLowerCase(Locale.ROOT);
            f.add(new Figure("state_" + label, "1 for the client's connection state, 0 for the others",
                    Figure.Type.GAUGE, "state", "state", "state", label, true, s -> s.state() == state ? 1 : 0));
        }
        f.add(new Figure("state_since_timestamp_seconds", "When the client entered its connection state (Unix time)",
                Figure.Type.GAUGE, "state_since_timestamp_seconds", "state_since_timestamp_seconds", null, null, false,
                s -> s.stateSince() == null ? null : s.stateSince().toEpochMilli() / 1000.0));
        f.add(gauge("requests_in_flight", "Requests sent to the platform and not answered yet",
                ClientStatus::requestsInFlight));
        f.add(gauge("commands_queued", "Commands no handler claimed, waiting for receive()", ClientStatus::commandsQueued));

        f.add(counter("connections_established", "Times the client became ready (connected and synchronised)",
                connections(ConnectionCounts::established)));
        f.add(counter("reconnects", "Times the client became ready again after its first connection",
                connections(ConnectionCounts::reconnects)));
        f.add(counter("connections_lost", "Times a ready connection was lost", connections(ConnectionCounts::lost)));
        f.add(counter("connect_failures", "Connect attempts that did not get to ready (refused, handshake or "
                + "synchronisation failed)", connections(ConnectionCounts::failedAttempts)));

        String roundTrip = "request_round_trip_seconds";
        for (Quantile q : QUANTILES) {
            f.add(new Figure("request_round_trip_" + q.shortName() + "_seconds", "Time from sending a request to "
                    + "reading the platform's answer: quantiles of about the last minute", Figure.Type.SUMMARY,
                    roundTrip, roundTrip, "quantile", q.label(), false, roundTrips(r -> seconds(q.value().apply(r)))));
        }
        f.add(new Figure("request_round_trip_sum_seconds", "Round trips of all answered requests added up",
                Figure.Type.SUMMARY, roundTrip, roundTrip + "_sum", null, null, false,
                roundTrips(r -> seconds(r.total()))));
        f.add(new Figure("requests_answered", "Requests the platform answered", Figure.Type.SUMMARY, roundTrip,
                roundTrip + "_count", null, null, true, roundTrips(RoundTrips::count)));
        f.add(gauge("request_round_trip_max_seconds", "Longest round trip of about the last minute",
                false, roundTrips(r -> seconds(r.max()))));

        f.add(gauge("outbox_depth", "Messages in the outbox, not yet settled", outbox(OutboxStatus::depth)));
        f.add(gauge("outbox_bytes", "Size of the messages in the outbox", outbox(OutboxStatus::bytes)));
        f.add(gauge("outbox_oldest_age_seconds", "Age of the oldest message in the outbox", false,
                outbox(o -> seconds(o.oldestAge()))));
        f.add(gauge("outbox_ingest_per_second", "Messages stored in the outbox per second (about the last minute)",
                false, flow(OutboxFlow::ingestPerSecond)));
        f.add(gauge("outbox_drain_per_second", "Messages settled by the platform's answer per second (about the last "
                + "minute)", false, flow(OutboxFlow::drainPerSecond)));
        f.add(gauge("outbox_full_in_seconds", "While the outbox fills: when it will be full at this pace (0: full); "
                + "absent while it does not fill", false, flow(fl -> seconds(fl.timeUntilFull()))));

        f.add(counter("ledger_offered", "Events and command answers handed to the client", ledger(DeliveryLedger::offered)));
        for (DeliveryLedger.Refusal reason : DeliveryLedger.Refusal.values()) {
            String label = reason.name().toLowerCase(Locale.ROOT);
            f.add(new Figure("ledger_refused_" + label, "Events and command answers not stored, by reason (the "
                    + "caller was told)", Figure.Type.COUNTER, "ledger_refused_total", "ledger_refused_total",
                    "reason", label, true, ledger(l -> l.refused(reason))));
        }
        f.add(counter("ledger_stored", "Messages stored in an outbox (outbox disabled: sent)", ledger(DeliveryLedger::stored)));
        f.add(counter("ledger_recovered", "Messages found pending in an outbox when the client took it into use",
                ledger(DeliveryLedger::recovered)));
        f.add(counter("ledger_delivered", "Messages the platform acknowledged (2xx)", ledger(DeliveryLedger::delivered)));
        f.add(counter("ledger_rejected", "Messages the platform refused for good (4xx), or never sendable",
                ledger(DeliveryLedger::rejected)));
        f.add(counter("ledger_dropped", "Messages dropped by a full outbox to make room", ledger(DeliveryLedger::dropped)));
        f.add(counter("ledger_expired", "Messages removed for being older than the outbox's maximum age",
                ledger(DeliveryLedger::expired)));
        f.add(counter("ledger_left_behind", "Messages left pending in an outbox the client stopped using",
                ledger(DeliveryLedger::leftBehind)));
        f.add(counter("ledger_unanswered", "Outbox disabled: messages sent whose answer never came",
                ledger(DeliveryLedger::unanswered)));
        f.add(gauge("ledger_pending", "Messages pending in the outbox in use (outbox disabled: sent, not answered)",
                ledger(DeliveryLedger::pending)));
        f.add(gauge("ledger_out_of_balance", "By how much the loss ledger does not balance: 0 when idle, else a defect",
                ledger(DeliveryLedger::outOfBalance)));
        return List.copyOf(f);
    }

    // ---- how figures are made -------------------------------------------------------------------------------

    private static Figure gauge(String name, String help, Function<ClientStatus, Number> value) {
        return gauge(name, help, true, value);
    }

    private static Figure gauge(String name, String help, boolean integral, Function<ClientStatus, Number> value) {
        return new Figure(name, help, Figure.Type.GAUGE, name, name, null, null, integral, value);
    }

    /** Prometheus names a counter's family and sample {@code ..._total}. */
    private static Figure counter(String name, String help, Function<ClientStatus, Number> value) {
        return new Figure(name, help, Figure.Type.COUNTER, name + "_total", name + "_total", null, null, true, value);
    }

    private static Function<ClientStatus, Number> outbox(Function<OutboxStatus, Number> value) {
        return s -> s.outbox() == null ? null : value.apply(s.outbox());
    }

    private static Function<ClientStatus, Number> flow(Function<OutboxFlow, Number> value) {
        return s -> s.outbox() == null || s.outboxFlow() == null ? null : value.apply(s.outboxFlow());
    }

    private static Function<ClientStatus, Number> ledger(Function<DeliveryLedger, Number> value) {
        return s -> s.ledger() == null ? null : value.apply(s.ledger());
    }

    private static Function<ClientStatus, Number> connections(Function<ConnectionCounts, Number> value) {
        return s -> s.connections() == null ? null : value.apply(s.connections());
    }

    private static Function<ClientStatus, Number> roundTrips(Function<RoundTrips, Number> value) {
        return s -> s.roundTrips() == null ? null : value.apply(s.roundTrips());
    }

    /** @return seconds, or null for null (a figure the status does not have now) */
    private static Double seconds(Duration d) {
        return d == null ? null : d.toNanos() / 1e9;
    }
}
