package org.sepl.connector.itests.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.sepl.connector.itests.soak.SoakProtocol.Report;

/**
 * What the gateway's lives reported, gathered from their stdout readers (thread-safe): events stored, per task id
 * the deliveries its handler got, the actions run and the answers stored, link losses, device changes by outcome,
 * resource samples and ledgers by life, and lines that made no sense.
 */
final class GatewayReports {

    /** One resource sample of a life. */
    record Sample(long uptimeMillis, long heapAfterGc, int threads, long fds, int inFlight, long outboxDepth) {
    }

    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    private final Map<String, Integer> handledBy = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answersStored = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> churn = new ConcurrentHashMap<>();
    private final Map<Integer, List<Sample>> samples = new ConcurrentHashMap<>();
    private final Map<Integer, String> ledgers = new ConcurrentHashMap<>();
    private final Set<Integer> stopped = ConcurrentHashMap.newKeySet();
    private final List<String> nonsense = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong linkLosses = new AtomicLong();
    private final AtomicLong swaps = new AtomicLong();
    private volatile int readyLife = -1;
    private volatile long readySinceNanos;
    private volatile String gatewayId = "";
    private volatile String storeHash;

    /** A line life {@code life} printed. */
    void accept(int life, String line) {
        Report kind = Report.of(line);
        String args = Report.arguments(line);
        if (kind == null) {
            nonsense.add("life " + life + ": " + line);
            return;
        }
        switch (kind) {
            case READY -> {
                gatewayId = args;
                readySinceNanos = System.nanoTime();
                readyLife = life;
            }
            case LINK_LOST -> {
                linkLosses.incrementAndGet();
                if (readyLife == life) {
                    readyLife = -1;
                }
            }
            case STORED -> stored.add(args);
            case HANDLED -> {
                count(handled, args);
                handledBy.put(args, life);
            }
            case RAN -> count(ran, args);
            case ANSWER_STORED -> count(answersStored, args);
            case SWAPPED -> swaps.incrementAndGet();
            case CHURN -> count(churn, args);
            case SAMPLE -> sample(life, args, line);
            case STORE_HASH -> storeHash = args;
            case LEDGER -> ledgers.put(life, args);
            case STOPPED -> stopped.add(life);
            default -> nonsense.add("life " + life + ": " + line);
        }
    }

    private static void count(Map<String, AtomicInteger> counts, String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private void sample(int life, String args, String line) {
        String[] f = args.split(" ");
        try {
            samples.computeIfAbsent(life, l -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(new Sample(Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]),
                            Long.parseLong(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5])));
        } catch (RuntimeException e) {
            nonsense.add("life " + life + ": " + line);
        }
    }

    /** Whether life {@code life} is connected and synchronised now, as its last report said. */
    boolean isReady(int life) {
        return readyLife == life;
    }

    /** When the last {@code ready} was read ({@link System#nanoTime}). */
    long readySinceNanos() {
        return readySinceNanos;
    }

    /** The last store hash a finishing life reported, or null. */
    String storeHash() {
        return storeHash;
    }

    String gatewayId() {
        return gatewayId;
    }

    Set<String> storedEvents() {
        return Set.copyOf(stored);
    }

    int handled(String task) {
        return get(handled, task);
    }

    /** @return the life whose handler got {@code task} (a platform delivers a task on one connection), or -1 */
    int handledBy(String task) {
        return handledBy.getOrDefault(task, -1);
    }

    int ran(String task) {
        return get(ran, task);
    }

    int answersStored(String task) {
        return get(answersStored, task);
    }

    Set<String> tasksHandled() {
        return Set.copyOf(handled.keySet());
    }

    private static int get(Map<String, AtomicInteger> counts, String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    long linkLosses() {
        return linkLosses.get();
    }

    long swaps() {
        return swaps.get();
    }

    /** Device changes by {@code "OP OUTCOME"}, sorted. */
    Map<String, Integer> churn() {
        Map<String, Integer> copy = new TreeMap<>();
        churn.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    List<Sample> samples(int life) {
        List<Sample> s = samples.get(life);
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            return List.copyOf(s);
        }
    }

    /** The ledger line of a life that stopped normally ({@code balanced ...} or {@code unbalanced ...}), or null. */
    String ledger(int life) {
        return ledgers.get(life);
    }

    boolean stopped(int life) {
        return stopped.contains(life);
    }

    List<String> nonsense() {
        synchronized (nonsense) {
            return List.copyOf(nonsense);
        }
    }
}
