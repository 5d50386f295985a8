package org.sepl.connector.impl;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.store.memory.InMemoryDeviceManager;
import org.sepl.connector.store.sqlite.SqliteOutbox;

/**
 * The child JVM of {@link ClientKilledMidStreamTest}: a gateway with the SQLite outbox against the parent's emulator.
 * <ul>
 * <li>{@code send PORT OUTBOX GATEWAY_ID_FILE COUNT PER_SECOND}: once ready, sends events {@code 0..COUNT-1} at a
 * steady rate and prints {@code stored N} when event N is reported stored and {@code delivered N} when the platform
 * answered it; it is meant to be killed before it ends.</li>
 * <li>{@code drain PORT OUTBOX GATEWAY_ID_FILE}: sends nothing new; exits 0 once the outbox is empty.</li>
 * </ul>
 * The client's log goes to stderr; stdout carries only these lines.
 */
public final class OutboxKillChild {

    static final String DEVICE = "meter-1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

    private OutboxKillChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        InMemoryDeviceManager devices = new InMemoryDeviceManager();
        devices.add(new Device(DEVICE, "iot#meter", "Meter"));
        try (SqliteOutbox outbox = SqliteOutbox.open(Path.of(args[2]))) {
            DefaultConnectorClient client = new ConnectorClientBuilder()
                    .platform("127.0.0.1", port, false)
                    .credentials(EmulatorFixture.USER, EmulatorFixture.PASSWORD)
                    .requestTimeout(Duration.ofSeconds(5))
                    .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                    .maxRequestsInFlight(ClientKilledMidStreamTest.WINDOW)
                    .gatewayIdStore(GatewayIdStore.file(Path.of(args[3])))
                    .deviceManager(devices)
                    .outbox(outbox)
                    .start();
            try {
                if (!client.awaitReady(READY_TIMEOUT)) {
                    throw new IllegalStateException("not ready after " + READY_TIMEOUT + ": " + client.status());
                }
                if (mode.equals("send")) {
                    send(client, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
                } else if (mode.equals("drain")) {
                    Await.until("outbox drained", DRAIN_TIMEOUT, () -> client.status().outbox().depth() == 0);
                } else {
                    throw new IllegalArgumentException("mode must be send or drain, was " + mode);
                }
            } finally {
                client.close();
            }
        }
    }

    private static void send(DefaultConnectorClient client, int count, int perSecond) throws InterruptedException {
        // a thread of its own writes the reports: a slow pipe must not hold up the client's threads
        BlockingQueue<String> reports = new LinkedBlockingQueue<>();
        Thread printer = new Thread(() -> print(reports), "reports");
        printer.setDaemon(true);
        printer.start();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + i * periodNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String number = Integer.toString(i);
            Delivery d = client.sendEvent(DEVICE, "reading", number, null);
            d.stored().thenRun(() -> reports.add("stored " + number));
            d.answered().thenRun(() -> reports.add("delivered " + number));
        }
        printer.join(); // until killed
    }

    /** Each line flushed at once: a line the parent read was reported before any kill. */
    private static void print(BlockingQueue<String> reports) {
        PrintStream out = System.out;
        try {
            while (true) {
                out.println(reports.take());
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
