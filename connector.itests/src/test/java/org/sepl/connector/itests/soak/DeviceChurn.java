package org.sepl.connector.itests.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;
import org.sepl.connector.itests.soak.SoakProtocol.Report;

/**
 * Adds, updates (renames) and deletes devices through the client while events stream, a few a second, choosing with
 * a seeded random among the churn devices of the manager in use (between {@value #FEWEST} and {@value #MOST} of them).
 * Each change is reported with how it ended: {@code ok}, the platform's status, or the failure's reason (a change
 * made while not ready fails {@code NOT_CONNECTED} and reaches the platform at the next synchronisation).
 */
final class DeviceChurn {

    /** The type of the devices the churn adds; the meters are never touched. */
    static final String TYPE = "iot#soak-churn";
    private static final int FEWEST = 5;
    private static final int MOST = 20;
    private static final Duration PERIOD = Duration.ofMillis(400);

    private final ConnectorClient client;
    private final Supplier<List<Device>> devices;
    private final SplittableRandom random;
    private final int life;
    private final ReportLines reports;
    private final PacedLoop loop;
    private int added;

    /** @param devices the devices of the manager in use now */
    DeviceChurn(ConnectorClient client, Supplier<List<Device>> devices, long seed, int life, ReportLines reports) {
        this.client = client;
        this.devices = devices;
        this.random = new SplittableRandom(seed);
        this.life = life;
        this.reports = reports;
        loop = new PacedLoop("soak-churn", PERIOD, n -> change());
    }

    void start() {
        loop.start();
    }

    void stop() throws InterruptedException {
        loop.stop();
    }

    private void change() {
        List<Device> churned = new ArrayList<>();
        try {
            for (Device d : devices.get()) {
                if (d.type().equals(TYPE)) {
                    churned.add(d);
                }
            }
        } catch (RuntimeException e) {
            reports.report(Report.CHURN, "list", e.getClass().getSimpleName());
            return; // the store is being swapped
        }
        int roll = random.nextInt(10);
        if (churned.size() < FEWEST || (churned.size() < MOST && roll < 4)) {
            int n = added++;
            run("add", () -> client.addAsync(new Device("churn-" + life + "-" + n, TYPE, "churn " + life + "-" + n)));
        } else if (churned.size() >= MOST || roll >= 8) {
            String id = churned.get(random.nextInt(churned.size())).id();
            run("delete", () -> client.deleteAsync(id));
        } else {
            Device d = churned.get(random.nextInt(churned.size()));
            String name = "renamed " + life + "-" + random.nextInt(1_000_000);
            run("update", () -> client.updateAsync(new Device(d.id(), TYPE, name)));
        }
    }

    private void run(String op, Supplier<CompletionStage<Response>> change) {
        CompletionStage<Response> stage;
        try {
            stage = change.get();
        } catch (RuntimeException e) { // update of a device the manager no longer has
            reports.report(Report.CHURN, op, e.getClass().getSimpleName());
            return;
        }
        stage.whenComplete((response, failure) -> reports.report(Report.CHURN, op, outcome(response, failure)));
    }

    private static String outcome(Response response, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                    : failure;
            return cause instanceof ConnectorException ce ? ce.reason().name() : cause.getClass().getSimpleName();
        }
        return response.isSuccess() ? "ok" : "status-" + response.status();
    }
}
