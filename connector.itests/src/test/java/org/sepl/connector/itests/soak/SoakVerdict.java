package org.sepl.connector.itests.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.sepl.connector.api.Device;
import org.sepl.connector.emulator.CommandTally;
import org.sepl.connector.emulator.FaultKind;
import org.sepl.connector.emulator.PlatformEmulator;

/**
 * The soak's end: what the gateway's lives reported against what the platform holds, as a list of failures (empty
 * when every check holds) and a summary. The checks:
 * <ol>
 * <li>every event a life reported stored reached the platform and was accepted; duplicates (the same event twice)
 * at most what was in flight at each disruption: answers the platform dropped, plus the request window per link
 * loss and per normal stop, plus what the outbox file held unsettled after each kill;</li>
 * <li>per task id: the device action ran at most once, the handler got no more deliveries than the platform made,
 * every answer stored reached the platform, and in a life that ended normally every delivery was answered;</li>
 * <li>every life that stopped normally found its ledger balanced at a quiet moment, and no life logged the client's
 * "Loss ledger out of balance";</li>
 * <li>the platform's device list (ids, names, types) and hash equal the device store's after the last life;</li>
 * <li>the last life's heap after GC, threads and file descriptors stayed flat ({@link ResourceTrend}).</li>
 * </ol>
 */
final class SoakVerdict {

    private static final String LEDGER_DEFECT = "Loss ledger out of balance";

    private final List<String> failures = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();

    SoakVerdict(SoakSettings settings, GatewayReports reports, GatewayLives lives, PlatformEmulator platform,
            PlatformChaos chaos, CommandTraffic commands, Collection<Device> storeDevices, boolean reconnectedAtEnd) {
        List<GatewayProcess> all = lives.all();
        summary.add(String.format("Soak summary: seed %d, chaos %s, %d events/s, %d commands/s; %d lives (%d killed, "
                + "%d stopped normally, the last finished)", settings.seed(), settings.duration(),
                settings.eventsPerSecond(), settings.commandsPerSecond(), all.size(), lives.kills(), lives.stops()));
        long answerDuplicates = commands(reports, platform, commands);
        events(reports, lives, platform, answerDuplicates);
        ledgers(reports, all);
        devices(platform, storeDevices, reports);
        summary.add(reconnectedAtEnd ? "the end needed a reconnect to bring the platform's device list to the store's "
                + "(a change the platform refused during the chaos waits for the next synchronisation)"
                : "the platform's device list was the store's at the end without a reconnect");
        resources(reports, all);
        summary.add("gateway faults: " + lives.kills() + " kills (SIGKILL), " + lives.stops() + " normal stops, "
                + reports.swaps() + " device manager swaps; device changes by outcome: " + reports.churn());
        summary.add("platform faults chosen: " + new java.util.TreeMap<>(chaos.injected())
                + "; injected by kind (emulator): " + platform.faults().injected());
        if (!reports.nonsense().isEmpty()) {
            failures.add("lines the gateway printed that make no sense: " + first(reports.nonsense()));
        }
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    String summary() {
        return String.join("\n", summary);
    }

    private void events(GatewayReports reports, GatewayLives lives, PlatformEmulator platform, long answerDuplicates) {
        Map<String, Integer> times = new HashMap<>();
        Set<String> accepted = new HashSet<>();
        long refused = 0;
        for (PlatformEmulator.Event e : platform.events()) {
            if (EventStreamer.SERVICE.equals(e.serviceUri())) {
                String id = String.valueOf(e.data());
                times.merge(id, 1, Integer::sum);
                if (e.status() == 200) {
                    accepted.add(id);
                } else {
                    refused++;
                }
            }
        }
        Set<String> stored = reports.storedEvents();
        List<String> lost = new ArrayList<>();
        for (String id : stored) {
            if (!accepted.contains(id)) {
                lost.add(id + (times.containsKey(id) ? " (refused)" : ""));
            }
        }
        long duplicates = 0;
        for (int n : times.values()) {
            duplicates += n - 1;
        }
        long dropped = platform.faults().injected().getOrDefault(FaultKind.ANSWER_DROPPED, 0L);
        long unsettled = lives.unsettledAfterKill().stream().mapToLong(Long::longValue).sum();
        long bound = dropped + (reports.linkLosses() + lives.stops() + 1) * SoakGateway.WINDOW + unsettled;
        int maxInFlight = 0;
        for (GatewayProcess life : lives.all()) {
            for (GatewayReports.Sample s : reports.samples(life.life())) {
                maxInFlight = Math.max(maxInFlight, s.inFlight());
            }
        }
        summary.add(String.format("events: %d reported stored, %d distinct accepted by the platform, %d lost, %d "
                + "refused answers (400), %d duplicate events + %d duplicate answers (bound %d = %d answers dropped + "
                + "(%d link losses + %d normal stops + 1) x window %d + %d unsettled after kills %s); max requests in "
                + "flight sampled %d", stored.size(), accepted.size(), lost.size(), refused, duplicates,
                answerDuplicates, bound, dropped, reports.linkLosses(), lives.stops(), SoakGateway.WINDOW, unsettled,
                lives.unsettledAfterKill(), maxInFlight));
        if (!lost.isEmpty()) {
            failures.add(lost.size() + " events reported stored never reached the platform (or were refused): "
                    + first(new TreeSet<>(lost)));
        }
        if (duplicates + answerDuplicates > bound) {
            failures.add((duplicates + answerDuplicates) + " duplicates, more than the " + bound
                    + " that the disruptions had in flight");
        }
    }

    /** @return answers beyond one per delivery that reached the handler (at-least-once resends) */
    private long commands(GatewayReports reports, PlatformEmulator platform, CommandTraffic commands) {
        long tasks = 0;
        long deliveries = 0;
        long handled = 0;
        long runs = 0;
        long answersStored = 0;
        long answered = 0;
        long neverHandled = 0;
        long answerLostWithLife = 0;
        long answerDuplicates = 0;
        long lateForgotten = 0;
        List<String> problems = new ArrayList<>();
        for (CommandTally t : platform.commandLedger().values()) {
            if (t.deliveries() == 0) {
                lateForgotten += t.responses() > 0 ? 1 : 0; // an answer to a task a platform restart forgot
                continue;
            }
            String task = t.taskId();
            int h = reports.handled(task);
            int ran = reports.ran(task);
            int a = reports.answersStored(task);
            tasks++;
            deliveries += t.deliveries();
            handled += h;
            runs += ran;
            answersStored += a;
            answered += t.responses() > 0 ? 1 : 0;
            if (h == 0 && t.responses() == 0) {
                neverHandled++;
            } else if (t.responses() == 0) {
                answerLostWithLife++;
            }
            answerDuplicates += Math.max(0, t.responses() - Math.max(1, h));
            int life = reports.handledBy(task);
            if (ran > 1) {
                problems.add(task + ": the action ran " + ran + " times");
            }
            if (h > t.deliveries()) {
                problems.add(task + ": handled " + h + " times, delivered " + t.deliveries());
            }
            if (t.responses() < a) {
                problems.add(task + ": " + a + " answers stored, " + t.responses() + " reached the platform");
            }
            if (life >= 0 && reports.stopped(life) && a < h) {
                problems.add(task + ": handled " + h + " times in life " + life + ", which stopped normally, "
                        + a + " answers stored");
            }
        }
        summary.add(String.format("commands: %d sent (%d not sent: no connection listening), %d task ids delivered "
                + "%d times (%d duplicate deliveries), %d deliveries reached the handler, %d action runs, %d answers "
                + "stored, %d task ids answered at the platform; not answered: %d never reached the handler (written to "
                + "a link that then went silent, closed or restarted, or to a life being killed or stopping), "
                + "%d handled by a killed life before the answer was stored; %d answers beyond one per delivery "
                + "(resent after a lost acknowledgement), %d late answers to tasks a restart forgot",
                commands.sent(), commands.notSent(), tasks, deliveries, deliveries - tasks, handled, runs,
                answersStored, answered, neverHandled, answerLostWithLife, answerDuplicates, lateForgotten));
        if (!problems.isEmpty()) {
            failures.add(problems.size() + " command tasks went wrong: " + first(problems));
        }
        return answerDuplicates;
    }

    private void ledgers(GatewayReports reports, List<GatewayProcess> all) {
        for (GatewayProcess life : all) {
            String ledger = reports.ledger(life.life());
            if (reports.stopped(life.life())) {
                summary.add("ledger of life " + life.life() + " (stopped normally): " + ledger);
                if (ledger == null || !ledger.startsWith("balanced")) {
                    failures.add("the ledger of life " + life.life() + " did not balance: " + ledger);
                }
            }
            try {
                for (String line : Files.readAllLines(life.stderr(), StandardCharsets.UTF_8)) {
                    if (line.contains(LEDGER_DEFECT)) {
                        failures.add("life " + life.life() + " logged: " + line);
                    }
                }
            } catch (IOException e) {
                failures.add("cannot read " + life.stderr() + ": " + e);
            }
        }
    }

    private void devices(PlatformEmulator platform, Collection<Device> storeDevices, GatewayReports reports) {
        List<PlatformEmulator.Gateway> gateways = platform.gateways();
        if (gateways.size() != 1) {
            failures.add("the platform has " + gateways.size() + " gateways, expected the one of every life: "
                    + gateways.stream().map(PlatformEmulator.Gateway::id).toList());
            return;
        }
        PlatformEmulator.Gateway gateway = gateways.get(0);
        Set<String> onPlatform = new TreeSet<>();
        gateway.devices().forEach(d -> onPlatform.add(d.uri() + " | " + d.name() + " | " + d.iotType()));
        Set<String> inStore = new TreeSet<>();
        storeDevices.forEach(d -> inStore.add(d.id() + " | " + d.name() + " | " + d.type()));
        summary.add("devices: " + inStore.size() + " in the store after the last life, " + onPlatform.size()
                + " on the platform (gateway " + gateway.id() + ", reported " + reports.gatewayId() + ")");
        if (!onPlatform.equals(inStore)) {
            Set<String> missing = new TreeSet<>(inStore);
            missing.removeAll(onPlatform);
            Set<String> extra = new TreeSet<>(onPlatform);
            extra.removeAll(inStore);
            failures.add("the platform's device list differs from the store's: missing on the platform " + missing
                    + ", only on the platform " + extra);
        }
        String hash = Device.gatewayHash(storeDevices);
        if (!hash.equals(gateway.hash())) {
            failures.add("the platform's gateway hash " + gateway.hash() + " is not the store's devices' " + hash);
        }
    }

    private void resources(GatewayReports reports, List<GatewayProcess> all) {
        for (GatewayProcess life : all) {
            List<GatewayReports.Sample> samples = reports.samples(life.life());
            if (!samples.isEmpty()) {
                summary.add("resources of life " + life.life() + " (" + samples.get(samples.size() - 1).uptimeMillis()
                        / 1000 + " s): " + new ResourceTrend(samples).summary());
            }
        }
        int last = all.get(all.size() - 1).life();
        for (String problem : new ResourceTrend(reports.samples(last)).problems()) {
            failures.add("the last life's resources are not flat: " + problem);
        }
    }

    private static String first(Collection<String> items) {
        List<String> list = new ArrayList<>(items);
        return list.size() <= 20 ? list.toString() : list.subList(0, 20) + " and " + (list.size() - 20) + " more";
    }
}
