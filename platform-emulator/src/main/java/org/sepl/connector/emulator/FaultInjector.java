package org.sepl.connector.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The faults armed by a test or the control page ({@link PlatformEmulator.Faults}), the choice of the fault for
 * each request and command, and the count of what was injected. The endpoint and the relay ask it; it acts on
 * nothing itself. Thread-safe; costs one volatile read per request while nothing is armed.
 */
final class FaultInjector implements PlatformEmulator.Faults {

    /** What to do with one request instead of (or before) handling it. */
    sealed interface Fault permits Fail, Delay, Drop, Close, Silence {
    }

    record Fail(int status) implements Fault {
    }

    record Delay(Duration delay) implements Fault {
    }

    record Drop() implements Fault {
    }

    record Close() implements Fault {
    }

    record Silence() implements Fault {
    }

    /** Shares of a handler's answers dropped or delayed (by {@code delay}). */
    record AnswerShares(double drop, double delay, Duration delayBy) {
    }

    private final Map<String, ArrayDeque<Fault>> byHandler = new LinkedHashMap<>();
    private final Map<String, AnswerShares> answerShares = new ConcurrentHashMap<>();
    private volatile boolean rejectHandshakes;
    private volatile boolean armed; // a per-request fault was added since the last clear(): the endpoint stops batching
    private volatile double duplicateShare;
    private final AtomicInteger duplicateNext = new AtomicInteger();
    private volatile int slowReaderBytesPerSecond;
    private final ConnectionThrottle throttle = new ConnectionThrottle();
    private final FaultCounters counters = new FaultCounters();
    // below 2^53: exact as a JSON number in any client, the web page included
    private final SeededChoices choices = new SeededChoices(ThreadLocalRandom.current().nextLong(1L << 53));
    private volatile LinkRelay relay; // null: no link faults (Builder.linkFaults)

    void relay(LinkRelay linkRelay) {
        this.relay = linkRelay;
    }

    boolean linkFaults() {
        return relay != null;
    }

    // ---- the public API -------------------------------------------------------------------------------------

    @Override
    public PlatformEmulator.Faults failNext(String handler, int n, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an error status (400-599), was " + status);
        }
        return add(handler, n, new Fail(status));
    }

    @Override
    public PlatformEmulator.Faults delayNext(String handler, int n, Duration delay) {
        Objects.requireNonNull(delay, "delay must not be null");
        return add(handler, n, new Delay(delay));
    }

    @Override
    public PlatformEmulator.Faults dropNext(String handler, int n) {
        return add(handler, n, new Drop());
    }

    @Override
    public PlatformEmulator.Faults closeOnNext(String handler) {
        return add(handler, 1, new Close());
    }

    @Override
    public PlatformEmulator.Faults silenceOnNext(String handler) {
        requireLink("silenceOnNext");
        return add(handler, 1, new Silence());
    }

    @Override
    public PlatformEmulator.Faults rejectHandshakes(boolean reject) {
        rejectHandshakes = reject;
        return this;
    }

    @Override
    public PlatformEmulator.Faults seed(long seed) {
        choices.reseed(seed);
        return this;
    }

    @Override
    public long seed() {
        return choices.seed();
    }

    @Override
    public synchronized PlatformEmulator.Faults dropAnswers(String handler, double share) {
        AnswerShares now = answerShares.get(Objects.requireNonNull(handler, "handler must not be null"));
        return answers(handler, share(share, "share"), now == null ? 0 : now.delay(), now == null ? Duration.ZERO : now.delayBy());
    }

    @Override
    public synchronized PlatformEmulator.Faults delayAnswers(String handler, double share, Duration delay) {
        Objects.requireNonNull(delay, "delay must not be null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        AnswerShares now = answerShares.get(Objects.requireNonNull(handler, "handler must not be null"));
        return answers(handler, now == null ? 0 : now.drop(), share(share, "share"), delay);
    }

    private synchronized PlatformEmulator.Faults answers(String handler, double drop, double delay, Duration delayBy) {
        if (drop + delay > 1) {
            throw new IllegalArgumentException("the shares of dropped (" + drop + ") and delayed (" + delay
                    + ") answers of '" + handler + "' add up to more than 1");
        }
        if (drop == 0 && delay == 0) {
            answerShares.remove(handler);
        } else {
            answerShares.put(handler, new AnswerShares(drop, delay, delayBy));
            armed = true;
        }
        return this;
    }

    @Override
    public PlatformEmulator.Faults duplicateCommands(double share) {
        duplicateShare = share(share, "share");
        return this;
    }

    @Override
    public PlatformEmulator.Faults duplicateNextCommands(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        duplicateNext.addAndGet(n);
        return this;
    }

    @Override
    public PlatformEmulator.Faults silenceOpenConnections() {
        requireLink("silenceOpenConnections").silenceAll();
        return this;
    }

    @Override
    public PlatformEmulator.Faults slowReader(int bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be 0 (full speed) or more, was " + bytesPerSecond);
        }
        if (bytesPerSecond > 0) {
            requireLink("slowReader");
        }
        slowReaderBytesPerSecond = bytesPerSecond;
        return this;
    }

    @Override
    public PlatformEmulator.Faults throttleConnections(ThrottleKey by, int maxAttempts, Duration window) {
        Objects.requireNonNull(by, "by must not be null");
        Objects.requireNonNull(window, "window must not be null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        throttle.limit(by, maxAttempts, window);
        return this;
    }

    @Override
    public PlatformEmulator.Faults throttleConnections(ThrottleKey by) {
        return throttleConnections(by, ConnectionThrottle.DEFAULT_MAX, ConnectionThrottle.DEFAULT_WINDOW);
    }

    @Override
    public Map<FaultKind, Long> injected() {
        return counters.snapshot();
    }

    @Override
    public synchronized PlatformEmulator.Faults clear() {
        byHandler.clear();
        answerShares.clear();
        rejectHandshakes = false;
        duplicateShare = 0;
        duplicateNext.set(0);
        slowReaderBytesPerSecond = 0;
        throttle.clear();
        armed = false;
        return this;
    }

    private synchronized PlatformEmulator.Faults add(String handler, int n, Fault fault) {
        Objects.requireNonNull(handler, "handler must not be null");
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        ArrayDeque<Fault> queue = byHandler.computeIfAbsent(handler, h -> new ArrayDeque<>());
        for (int i = 0; i < n; i++) {
            queue.add(fault);
        }
        armed = true;
        return this;
    }

    private static double share(double share, String name) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1 (e.g. 0.05 for 5 %), was " + share);
        }
        return share;
    }

    private LinkRelay requireLink(String what) {
        LinkRelay r = relay;
        if (r == null) {
            throw new IllegalStateException(what + " needs the link-fault relay: start the emulator with "
                    + "Builder.linkFaults(true) (command line: --link-faults)");
        }
        return r;
    }

    // ---- asked by the platform, the endpoint and the relay --------------------------------------------------

    boolean armed() {
        return armed;
    }

    /** The fault for this request of {@code handler}, consumed and counted; null if none. */
    synchronized Fault next(String handler) {
        if (byHandler.isEmpty()) {
            return null;
        }
        ArrayDeque<Fault> queue = byHandler.get(handler);
        Fault f = queue == null ? null : queue.poll();
        if (f != null && !(f instanceof Silence)) { // a silence is counted by the relay, once it took effect
            counters.add(kind(f));
        }
        return f;
    }

    private static FaultKind kind(Fault f) {
        if (f instanceof Fail) {
            return FaultKind.FAIL;
        }
        if (f instanceof Delay) {
            return FaultKind.DELAY;
        }
        if (f instanceof Drop) {
            return FaultKind.DROP;
        }
        return FaultKind.CLOSE;
    }

    /**
     * For an answer to a request of {@code handler}: null to send it now, {@link Duration#ZERO} to drop it, or the
     * delay to send it after. Drawn from the handler's seeded stream.
     */
    Duration answerFault(String handler) {
        AnswerShares shares = answerShares.get(handler);
        if (shares == null) {
            return null;
        }
        double u = choices.next("answer:" + handler);
        if (u < shares.drop()) {
            counters.add(FaultKind.ANSWER_DROPPED);
            return Duration.ZERO;
        }
        return u < shares.drop() + shares.delay() ? shares.delayBy() : null;
    }

    /** How many times to deliver the next command: 2 for a duplicated one, else 1. */
    int commandCopies() {
        boolean twice = duplicateNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        double share = duplicateShare;
        if (!twice && share > 0) {
            twice = choices.next("command") < share;
        }
        if (twice) {
            counters.add(FaultKind.COMMAND_DUPLICATED);
        }
        return twice ? 2 : 1;
    }

    int slowReaderBytesPerSecond() {
        return slowReaderBytesPerSecond;
    }

    /** Whether a connection attempt of {@code user} from {@code address} is admitted; counts a refusal. */
    boolean admitConnection(String user, String address) {
        if (!throttle.active()) {
            return true;
        }
        long now = System.nanoTime();
        if (throttle.admit(ThrottleKey.ADDRESS, address, now) && throttle.admit(ThrottleKey.USER, user, now)) {
            return true;
        }
        counters.add(FaultKind.THROTTLED);
        return false;
    }

    boolean rejectingHandshakes() {
        return rejectHandshakes;
    }

    void count(FaultKind kind) {
        counters.add(kind);
    }

    /** Forgets the counts of injected faults (the platform's reset). */
    void resetCounts() {
        counters.reset();
    }

    // ---- for the control API and page -----------------------------------------------------------------------

    /** Pending faults per handler, e.g. {@code "event" -> ["fail 500", "fail 500", "drop"]}. */
    synchronized Map<String, List<String>> pending() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        byHandler.forEach((handler, queue) -> {
            if (!queue.isEmpty()) {
                all.put(handler, queue.stream().map(FaultInjector::describe).toList());
            }
        });
        return all;
    }

    private static String describe(Fault f) {
        if (f instanceof Fail fail) {
            return "fail " + fail.status();
        }
        if (f instanceof Delay d) {
            return "delay " + d.delay().toMillis() + " ms";
        }
        return f instanceof Drop ? "drop" : f instanceof Close ? "close" : "silence";
    }

    Map<String, AnswerShares> answerShares() {
        return Map.copyOf(answerShares);
    }

    double duplicateShare() {
        return duplicateShare;
    }

    int duplicateNextPending() {
        return duplicateNext.get();
    }

    Map<ThrottleKey, ConnectionThrottle.Limit> throttles() {
        return throttle.limits();
    }
}
