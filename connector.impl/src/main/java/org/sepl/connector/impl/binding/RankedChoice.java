package org.sepl.connector.impl.binding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which of several services a client uses (device managers, transports): the one with the wanted name when it is
 * present, else the highest-ranked (on a tie, the first one added, as OSGi orders services). Thread-safe; pure
 * logic, no OSGi.
 *
 * @param <T> the service type
 */
public final class RankedChoice<T> {

    private record Candidate<T>(T service, String name, int ranking, long order) {
    }

    private static final Comparator<Candidate<?>> BEST_FIRST = Comparator
            .comparingInt((Candidate<?> c) -> c.ranking()).reversed().thenComparingLong(Candidate::order);

    private final String wanted;
    private final List<Candidate<T>> candidates = new ArrayList<>(); // guarded by this
    private long added;

    /** @param wanted the name to prefer; empty: none, the highest-ranked wins */
    public RankedChoice(String wanted) {
        this.wanted = Objects.requireNonNull(wanted, "wanted must not be null");
    }

    /**
     * Adds a candidate.
     *
     * @param name    its name (service property), or null
     * @param ranking its service ranking
     * @return the best one now
     */
    public synchronized T add(T service, String name, int ranking) {
        candidates.add(new Candidate<>(Objects.requireNonNull(service, "service must not be null"), name, ranking,
                added++));
        notifyAll();
        return best();
    }

    /** Removes a candidate (unknown ones are ignored). @return the best one now, or null if none is left */
    public synchronized T remove(T service) {
        candidates.removeIf(c -> c.service() == service);
        return best();
    }

    /** @return the one to use now, or null if there is none */
    public synchronized T best() {
        if (!wanted.isEmpty()) {
            for (Candidate<T> c : candidates.stream().sorted(BEST_FIRST).toList()) {
                if (wanted.equals(c.name())) {
                    return c.service();
                }
            }
        }
        return candidates.stream().sorted(BEST_FIRST).findFirst().map(Candidate::service).orElse(null);
    }

    /** @return the name of the one to use now, or null */
    public synchronized String bestName() {
        T best = best();
        return candidates.stream().filter(c -> c.service() == best).findFirst().map(Candidate::name).orElse(null);
    }

    /** @return the wanted name, empty if none */
    public String wanted() {
        return wanted;
    }

    /** @return whether {@code service} is the wanted one (true when none is wanted) */
    public synchronized boolean isWanted(T service) {
        return wanted.isEmpty() || candidates.stream().anyMatch(c -> c.service() == service && wanted.equals(c.name()));
    }

    /** @return whether the wanted one is present (true when none is wanted and any is) */
    public synchronized boolean wantedPresent() {
        return wanted.isEmpty() ? !candidates.isEmpty()
                : candidates.stream().anyMatch(c -> wanted.equals(c.name()));
    }

    /**
     * Waits until {@link #wantedPresent()}, at most {@code timeout}.
     *
     * @return whether it is present
     */
    public synchronized boolean awaitWanted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!wantedPresent()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** @return the names of the candidates present, best first (for logs) */
    public synchronized List<String> names() {
        return candidates.stream().sorted(BEST_FIRST).map(c -> c.name() == null ? "(unnamed)" : c.name()).toList();
    }
}
