package org.sepl.connector.itests.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import org.sepl.connector.itests.soak.GatewayReports.Sample;

/**
 * Whether a process's resources stayed flat: the end of its samples against the start of its steady state.
 * <ul>
 * <li>Steady state: the samples after the warm-up (the first {@value #WARM_UP_MILLIS} ms or the first fifth of the
 * life, whichever is longer: classes loaded, JIT and caches filled, the first synchronisation done).</li>
 * <li>Start: the highest of its first {@value #WINDOW} samples; end: the lowest of the last {@value #WINDOW}. A
 * moment's backlog (an outbox filling during a refused handshake, a reconnect's extra connection) is in one sample,
 * not in all three at the end; a leak is in all of them.</li>
 * <li>Margins: heap after GC may grow by {@value #HEAP_GROWTH_PERCENT} % plus {@value #HEAP_SLACK_MIB} MiB (the
 * live set moves with what is queued at the moment of the sample: requests in flight, commands, callbacks); threads
 * by {@value #THREAD_SLACK} (a connection being set up while another is torn down, a pooled thread not yet
 * retired); file descriptors by {@value #FD_SLACK} (the same, a socket each way). A thread or descriptor leaked per
 * reconnect shows within a few reconnects; a heap leak of a few kilobytes per reconnect needs the long run.</li>
 * </ul>
 */
final class ResourceTrend {

    static final long WARM_UP_MILLIS = 20_000;
    static final int WINDOW = 3;
    static final int HEAP_GROWTH_PERCENT = 25;
    static final int HEAP_SLACK_MIB = 8;
    static final int THREAD_SLACK = 3;
    static final int FD_SLACK = 6;

    private final List<Sample> steady;

    ResourceTrend(List<Sample> samples) {
        long lifeMillis = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).uptimeMillis();
        long warmUp = Math.max(WARM_UP_MILLIS, lifeMillis / 5);
        List<Sample> s = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.uptimeMillis() >= warmUp) {
                s.add(sample);
            }
        }
        steady = List.copyOf(s);
    }

    /** @return why the resources are not flat, one line each; empty if they are */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (steady.size() < 2 * WINDOW) {
            problems.add("only " + steady.size() + " steady samples, fewer than " + 2 * WINDOW + ": the last life was "
                    + "too short to tell");
            return problems;
        }
        long heapStart = start(Sample::heapAfterGc);
        check(problems, "heap after GC (bytes)", heapStart, end(Sample::heapAfterGc),
                heapStart * HEAP_GROWTH_PERCENT / 100 + HEAP_SLACK_MIB * 1024L * 1024);
        check(problems, "threads", start(Sample::threads), end(Sample::threads), THREAD_SLACK);
        if (start(Sample::fds) >= 0) {
            check(problems, "open file descriptors", start(Sample::fds), end(Sample::fds), FD_SLACK);
        }
        return problems;
    }

    /** The steady start and end, e.g. {@code heap 21.3 -> 22.0 MiB, threads 31 -> 31, fds 58 -> 58 (12 steady samples)}. */
    String summary() {
        if (steady.size() < 2 * WINDOW) {
            return steady.size() + " steady samples (too few to compare)";
        }
        return String.format("heap after GC %.1f -> %.1f MiB, threads %d -> %d, fds %d -> %d (%d steady samples, "
                + "start = highest of the first %d, end = lowest of the last %d)",
                start(Sample::heapAfterGc) / 1048576.0, end(Sample::heapAfterGc) / 1048576.0, start(Sample::threads),
                end(Sample::threads), start(Sample::fds), end(Sample::fds), steady.size(), WINDOW, WINDOW);
    }

    private static void check(List<String> problems, String what, long start, long end, long margin) {
        if (end > start + margin) {
            problems.add(what + " grew from " + start + " to " + end + ", more than the margin of " + margin);
        }
    }

    private long start(ToLongFunction<Sample> f) {
        return steady.subList(0, WINDOW).stream().mapToLong(f).max().orElseThrow();
    }

    private long end(ToLongFunction<Sample> f) {
        return steady.subList(steady.size() - WINDOW, steady.size()).stream().mapToLong(f).min().orElseThrow();
    }
}
