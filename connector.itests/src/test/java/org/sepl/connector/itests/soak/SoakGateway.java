package org.sepl.connector.itests.soak;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;
import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectionListener;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.impl.ClientAssembly;
import org.sepl.connector.impl.ConnectorClientBuilder;
import org.sepl.connector.impl.DefaultConnectorClient;
import org.sepl.connector.impl.SoakAssembly;
import org.sepl.connector.itests.soak.SoakProtocol.Order;
import org.sepl.connector.itests.soak.SoakProtocol.Report;
import org.sepl.connector.store.sqlite.SqliteOutbox;

/**
 * The gateway process of {@link SoakIT}, one per life: a plain-Java client on the SQLite outbox and SQLite device
 * store of a directory that outlives it, against the test's platform emulator. It streams events, churns devices,
 * answers commands ({@link IdempotentCommands}), samples its resources, reports every fact on stdout
 * ({@link SoakProtocol.Report}) and obeys the orders on its stdin (swap the device manager, stop, finish) until it
 * stops or is killed. The client's log goes to stderr.
 * <p>
 * {@code java ... SoakGateway PORT DIRECTORY LIFE SEED EVENTS_PER_SECOND SAMPLE_MILLIS}
 */
public final class SoakGateway {

    static final String USER = "soak";
    static final String PASSWORD = "soak-secret";
    /** The devices events go to and commands come for; created in the first life, never changed. */
    static final List<String> METERS = List.of("meter-0", "meter-1", "meter-2", "meter-3");
    static final String METER_TYPE = "iot#soak-meter";
    static final String OUTBOX_FILE = "outbox.db";
    static final String DEVICES_FILE = "devices.db";
    static final String GATEWAY_ID_FILE = "gateway-id";
    /** Requests in flight at most: what one lost link can leave the platform holding unanswered. */
    static final int WINDOW = 64;
    /**
     * Longer than any answer the soak's faults hold back (delays up to about 2.5 s, a slow reader's backlog of about a
     * second), so that a request times out only on a link that is gone: a timeout on a live link would send it again
     * while the platform still has the first.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Keep-alive: a connection silenced by the platform's link faults is noticed within these two together. */
    static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(1);
    static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

    private SoakGateway() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: SoakGateway PORT DIRECTORY LIFE SEED EVENTS_PER_SECOND "
                    + "SAMPLE_MILLIS, got " + args.length + " arguments: " + List.of(args));
        }
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        int life = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        int eventsPerSecond = Integer.parseInt(args[4]);
        long sampleMillis = Long.parseLong(args[5]);

        ReportLines reports = new ReportLines(System.out);
        List<Device> meters = METERS.stream().map(id -> new Device(id, METER_TYPE, "Soak " + id)).toList();
        try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve(OUTBOX_FILE));
                DeviceManagerSwap managers = new DeviceManagerSwap(dir.resolve(DEVICES_FILE), meters, reports)) {
            ConnectorClientBuilder builder = new ConnectorClientBuilder()
                    .platform("127.0.0.1", port, false)
                    .credentials(USER, PASSWORD)
                    .requestTimeout(REQUEST_TIMEOUT)
                    .reconnectDelay(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .keepAlive(KEEP_ALIVE_INTERVAL, KEEP_ALIVE_TIMEOUT)
                    .maxRequestsInFlight(WINDOW)
                    .outboxRetryDelay(Duration.ofMillis(500))
                    .gatewayIdStore(GatewayIdStore.file(dir.resolve(GATEWAY_ID_FILE)))
                    .deviceManager(managers.first())
                    .outbox(outbox)
                    .connectionListener(new ConnectionListener() {
                        @Override
                        public void connected(String gatewayId) {
                            reports.report(Report.READY, gatewayId);
                        }

                        @Override
                        public void disconnected(String reason) {
                            reports.report(Report.LINK_LOST, reason);
                        }
                    });
            ClientAssembly assembly = SoakAssembly.assemble(builder);
            managers.attach(assembly);
            DefaultConnectorClient client = assembly.client();
            IdempotentCommands commands = new IdempotentCommands(client, reports);
            client.addCommandHandler(commands, Map.of());
            client.start();

            EventStreamer events = new EventStreamer(client, METERS, life, eventsPerSecond, reports);
            DeviceChurn churn = new DeviceChurn(client, () -> List.copyOf(managers.current().devices()), seed, life,
                    reports);
            try (ResourceSampler sampler = new ResourceSampler(client, reports)) {
                events.start();
                churn.start();
                sampler.start(sampleMillis);
                BufferedReader orders = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                Order last = obey(orders, managers);
                events.stop();
                churn.stop();
                if (last == Order.FINISH) {
                    managers.ensureSqlite();
                    awaitDrained(client);
                    Thread hashes = reportStoreHash(managers, reports);
                    last = obey(orders, managers);
                    hashes.interrupt();
                    if (last != Order.STOP) {
                        throw new IllegalStateException("after finish, expected stop, got " + last);
                    }
                }
                commands.close(QUIET_TIMEOUT);
                reportLedger(client, reports);
            } finally {
                client.close();
            }
        }
        reports.report(Report.STOPPED);
        reports.close();
        System.exit(0); // the client's threads are gone; this ends the JVM even if a library left one behind
    }

    /** Carries out orders until {@code stop} or {@code finish} (or the test's end of the pipe, read as stop). */
    private static Order obey(BufferedReader orders, DeviceManagerSwap managers) throws IOException {
        for (String line = orders.readLine(); line != null; line = orders.readLine()) {
            Order order = Order.of(line);
            if (order == Order.SWAP) {
                managers.swap();
            } else {
                return order;
            }
        }
        return Order.STOP;
    }

    /**
     * Reports the store's gateway hash every 200 ms until interrupted: the client hands the last in-memory devices over
     * to SQLite and synchronises on its own lanes, so the store may still change for a moment after the swap.
     */
    private static Thread reportStoreHash(DeviceManagerSwap managers, ReportLines reports) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    reports.report(Report.STORE_HASH, Device.gatewayHash(managers.current().devices()));
                    Thread.sleep(200); // a report's pace, not a wait for a condition
                }
            } catch (InterruptedException e) {
                // stop ordered
            }
        }, "soak-store-hash");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Until ready with nothing in the outbox and nothing in flight: every stored event and answer delivered. */
    private static void awaitDrained(DefaultConnectorClient client) {
        try {
            await("outbox drained").atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                ClientStatus s = client.status();
                return client.isReady() && s.outbox().depth() == 0 && s.requestsInFlight() == 0;
            });
        } catch (ConditionTimeoutException e) {
            System.err.println("Soak gateway: not drained after " + DRAIN_TIMEOUT + ": " + client.status());
        }
    }

    /**
     * The ledger at a quiet moment: it balances whenever nothing is on its way, so it is read until it does, for a
     * while; one that never does within that time is reported unbalanced.
     */
    private static void reportLedger(DefaultConnectorClient client, ReportLines reports) {
        try {
            await("ledger balanced").atMost(QUIET_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> client.status().ledger().balanced());
            reports.report(Report.LEDGER, "balanced", client.status().ledger());
        } catch (ConditionTimeoutException e) {
            reports.report(Report.LEDGER, "unbalanced", client.status().ledger());
        }
    }
}
