package org.sepl.connector.itests.soak;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.awaitility.core.ConditionTimeoutException;

import org.sepl.connector.itests.soak.SoakProtocol.Order;
import org.sepl.connector.store.sqlite.SqliteOutbox;

/**
 * The gateway through its lives: one {@link GatewayProcess} at a time on the same directory (SQLite outbox, device
 * store, gateway id), killed with SIGKILL or stopped normally and started again, and the orders of its current life.
 * Remembers, per kill, how many messages the outbox file held unsettled right after it: a message the platform
 * received before the kill but whose settlement was not yet committed is sent again by the next life, so those
 * bound the kill's duplicates.
 */
final class GatewayLives implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** The gateway's keep-alive interval and timeout, and a second to spare. */
    private static final Duration STEADY = SoakGateway.KEEP_ALIVE_INTERVAL.plus(SoakGateway.KEEP_ALIVE_TIMEOUT)
            .plusSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(2);
    /** How long the end waits for the platform's list to be the store's before it makes the gateway synchronise. */
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final SoakSettings settings;
    private final GatewayReports reports;
    private final List<GatewayProcess> lives = new ArrayList<>();
    private final List<Long> unsettledAfterKill = new ArrayList<>();
    private int stops;

    GatewayLives(Path dir, int port, SoakSettings settings, GatewayReports reports) {
        this.dir = dir;
        this.port = port;
        this.settings = settings;
        this.reports = reports;
    }

    /** Starts the next life. */
    void startNext() throws IOException {
        lives.add(GatewayProcess.start(lives.size(), dir, port, settings, reports::accept));
    }

    GatewayProcess current() {
        return lives.get(lives.size() - 1);
    }

    /** Waits until the current life reports itself connected and synchronised. */
    void awaitReady() {
        GatewayProcess life = current();
        await("gateway life " + life.life() + " ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .failFast(() -> requireAlive(life))
                .until(() -> reports.isReady(life.life()));
    }

    /**
     * Waits until the current life has been connected and synchronised for {@link #STEADY} since {@code sinceNanos}
     * ({@link System#nanoTime}): longer than its keep-alive takes to notice a connection silenced before then.
     */
    void awaitSteadilyReady(long sinceNanos) {
        GatewayProcess life = current();
        await("gateway life " + life.life() + " ready for " + STEADY).atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .failFast(() -> requireAlive(life))
                .until(() -> reports.isReady(life.life())
                        && System.nanoTime() - Math.max(sinceNanos, reports.readySinceNanos()) > STEADY.toNanos());
    }

    private static void requireAlive(GatewayProcess life) {
        if (!life.isAlive()) {
            throw new AssertionError("gateway life " + life.life() + " ended: " + life.stderrTail(30));
        }
    }

    /** SIGKILL, then the next life on the same files. */
    void killAndRestart() throws InterruptedException, IOException {
        current().kill();
        try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve(SoakGateway.OUTBOX_FILE))) {
            unsettledAfterKill.add(outbox.status().depth());
        }
        startNext();
    }

    /** A normal stop (the life checks its ledger and closes), then the next life. */
    void stopAndRestart() throws InterruptedException, IOException {
        end(Order.STOP, STOP_TIMEOUT);
        stops++;
        startNext();
    }

    /**
     * The soak's end: the current life stops producing, takes SQLite back and drains its outbox; once the platform's
     * gateway hash is its store's, it checks its ledger and stops. A device change the platform refused during the
     * chaos (a 500 to its {@code put}) stays in the store and reaches the platform at the next synchronisation, as the
     * client documents: if the lists still differ after {@link #SETTLE}, {@code resynchronise} closes the session once
     * (the gateway reconnects and synchronises). If they differ after {@link #FINISH_TIMEOUT} all the same, it stops
     * anyway and the verdict shows the difference.
     *
     * @return whether that reconnect was needed
     */
    boolean finish(Supplier<String> platformHash, Runnable resynchronise) throws InterruptedException {
        GatewayProcess life = current();
        if (!life.order(Order.FINISH)) {
            throw new AssertionError("gateway life " + life.life() + " is gone before 'finish': " + life.stderrTail(30));
        }
        boolean reconnected = false;
        if (!storeOnPlatform(life, platformHash, SETTLE)) {
            System.out.println("Soak: the platform's device list is not the store's (store hash " + reports.storeHash()
                    + ", platform's " + platformHash.get() + "): closing the session once to synchronise");
            resynchronise.run();
            reconnected = true;
            storeOnPlatform(life, platformHash, FINISH_TIMEOUT);
        }
        end(Order.STOP, STOP_TIMEOUT);
        return reconnected;
    }

    private boolean storeOnPlatform(GatewayProcess life, Supplier<String> platformHash, Duration timeout) {
        try {
            await("the platform's device list synchronised with the store").atMost(timeout)
                    .pollInterval(Duration.ofMillis(100)).failFast(() -> requireAlive(life))
                    .until(() -> reports.storeHash() != null && reports.storeHash().equals(platformHash.get()));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private void end(Order order, Duration timeout) throws InterruptedException {
        GatewayProcess life = current();
        if (!life.order(order)) {
            throw new AssertionError("gateway life " + life.life() + " is gone before '" + order.word() + "': "
                    + life.stderrTail(30));
        }
        Integer status = life.awaitExit(timeout);
        if (status == null || status != 0) {
            throw new AssertionError("gateway life " + life.life() + " did not end with status 0 within " + timeout
                    + " after '" + order.word() + "' (status " + status + "): " + life.stderrTail(30));
        }
    }

    /** Orders the current life to swap its device manager; false if it is gone. */
    boolean swap() {
        return current().order(Order.SWAP);
    }

    /** Every life so far, in order. */
    List<GatewayProcess> all() {
        return List.copyOf(lives);
    }

    int kills() {
        return unsettledAfterKill.size();
    }

    int stops() {
        return stops;
    }

    /** Per kill, the messages the outbox file held unsettled right after it. */
    List<Long> unsettledAfterKill() {
        return List.copyOf(unsettledAfterKill);
    }

    @Override
    public void close() {
        lives.forEach(GatewayProcess::close);
    }
}
