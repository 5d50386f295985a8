package org.sepl.connector.impl.command;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.Device;
import org.sepl.connector.impl.logging.RateLimitedLog;

/**
 * Delivers the platform's commands (docs/PROTOCOL.md §5) to {@link CommandHandler}s or the {@code receive()} queue:
 * <ul>
 * <li>commands for one device run one after another in arrival order ("on" then "off" never runs reversed);
 * different devices run in parallel on the command threads;</li>
 * <li>a command older than {@code maxAge} (its {@code time} field, seconds or milliseconds since the epoch, judged by
 * {@link CommandAge} so that a wrong gateway clock does not make every command too old), or that waited longer than
 * that for its handler (monotonic clock), is not executed: it is answered with an error and logged;</li>
 * <li>a command no handler claims waits for {@code receive()}; if nobody takes it within {@code unclaimedTimeout}
 * (or the queue is full) it is answered with an error and logged, so the platform does not wait in vain;</li>
 * <li>a task delivered again (the same {@code task_id}) does not run again: it gets its answer again
 * ({@link CommandReplies}).</li>
 * </ul>
 * Answers go through {@link Answers}, the client's {@code respondAsync}.
 */
public final class CommandDispatcher {

    private static final System.Logger LOG = System.getLogger(CommandDispatcher.class.getName());

    /** Where results and error answers go. */
    public interface Answers {
        void result(Command command, CommandResult result);

        /** The command was not executed; {@code why} is for the platform's operators and the log. */
        void error(Command command, String why);

        /**
         * @return true if the platform delivered this task before: it is answered again by these answers, and not run
         *         again (none remembered: false)
         */
        default boolean repeated(Command command) {
            return false;
        }
    }

    private record Queued(Command command, long arrivedNanos) {
    }

    /** The commands of one device, run in order. Mutated only inside {@link #lanes}' compute for its key. */
    private static final class Lane {
        final ArrayDeque<Queued> waiting = new ArrayDeque<>();
    }

    private final CommandRouter router;
    private final Executor threads;
    private final Answers answers;
    private final int capacity;
    private final long maxAgeNanos;
    private final long unclaimedNanos;
    private final CommandAge age;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LinkedBlockingDeque<Queued> unclaimed;
    private final RateLimitedLog refusedLog = new RateLimitedLog(LOG, 10_000);
    private volatile Function<String, Optional<Device>> devices = id -> Optional.empty();

    /**
     * @param wall     the gateway's clock, for the age of a command by its {@code time} ({@link CommandAge})
     * @param nanoTime the monotonic clock, for how long a command waited ({@link System#nanoTime})
     */
    public CommandDispatcher(CommandRouter router, Executor threads, Answers answers, int capacity, Duration maxAge,
            Duration unclaimedTimeout, Clock wall, LongSupplier nanoTime) {
        this.router = router;
        this.threads = threads;
        this.answers = answers;
        this.capacity = capacity;
        this.maxAgeNanos = maxAge.toNanos();
        this.unclaimedNanos = unclaimedTimeout.toNanos();
        this.age = new CommandAge(maxAge, wall, nanoTime);
        this.nanoTime = nanoTime;
        this.unclaimed = new LinkedBlockingDeque<>(capacity);
    }

    /** How handlers that select by device type find a device's type. */
    public void deviceLookup(Function<String, Optional<Device>> lookup) {
        devices = lookup;
    }

    /** @return commands waiting for {@code receive()} */
    public int unclaimedCount() {
        return unclaimed.size();
    }

    /** A command arrived (I/O thread): never blocks. */
    public void dispatch(Command command) {
        if (answers.repeated(command)) {
            return; // the same task delivered again: answered again, never run twice
        }
        String stale = staleness(command);
        if (stale != null) {
            refuse(command, stale);
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            refuse(command, "command queue full (" + capacity + " commands waiting for handlers)");
            return;
        }
        Queued q = new Queued(command, nanoTime.getAsLong());
        boolean[] start = new boolean[1];
        lanes.compute(command.deviceId(), (id, lane) -> {
            Lane l = lane == null ? new Lane() : lane;
            start[0] = lane == null;
            l.waiting.add(q);
            return l;
        });
        if (start[0]) {
            schedule(command.deviceId());
        }
    }

    private void schedule(String deviceId) {
        try {
            threads.execute(() -> drain(deviceId));
        } catch (RejectedExecutionException e) {
            // closing: the commands stay unanswered, as the connection is going away
        }
    }

    /** Runs the device's next command; then the next, on a fresh task, so that one busy device does not starve others. */
    private void drain(String deviceId) {
        Queued[] head = new Queued[1];
        lanes.computeIfPresent(deviceId, (id, lane) -> {
            head[0] = lane.waiting.peek();
            return lane;
        });
        Queued next = head[0];
        try {
            handle(next);
        } finally {
            queued.decrementAndGet();
            boolean[] more = new boolean[1];
            lanes.compute(deviceId, (id, lane) -> {
                lane.waiting.poll();
                more[0] = !lane.waiting.isEmpty();
                return more[0] ? lane : null;
            });
            if (more[0]) {
                schedule(deviceId);
            }
        }
    }

    private void handle(Queued q) {
        Command command = q.command;
        long waited = nanoTime.getAsLong() - q.arrivedNanos;
        if (waited > maxAgeNanos) {
            refuse(command, "waited " + TimeUnit.NANOSECONDS.toMillis(waited)
                    + " ms for its handler, longer than the maximum command age (" + maxAgeNanos / 1_000_000 + " ms)");
            return;
        }
        Optional<CommandHandler> handler;
        try {
            handler = router.select(command, devices);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cannot choose a handler for " + command + " (the device manager failed)", e);
            handler = Optional.empty();
        }
        if (handler.isEmpty()) {
            unclaimed(q);
            return;
        }
        CommandResult result;
        try {
            result = handler.get().handle(command);
        } catch (Exception | LinkageError e) {
            LOG.log(WARNING, "Command handler " + handler.get().getClass().getName() + " failed on " + command, e);
            answers.error(command, String.valueOf(e.getMessage()));
            return;
        }
        if (result != null) {
            answers.result(command, result);
        }
    }

    private void unclaimed(Queued q) {
        LOG.log(DEBUG, "No command handler claims {0}: it waits for receive()", q.command);
        while (!unclaimed.offerLast(q)) {
            Queued dropped = unclaimed.pollFirst();
            if (dropped != null) {
                refuse(dropped.command, "no handler claimed it and the receive() queue is full (" + capacity + ")");
            }
        }
    }

    /** Answers the commands nobody received within the unclaimed timeout (timer thread). */
    public void expireUnclaimed() {
        long now = nanoTime.getAsLong();
        for (Queued head; (head = unclaimed.peekFirst()) != null && now - head.arrivedNanos > unclaimedNanos;) {
            if (unclaimed.removeFirstOccurrence(head)) {
                refuse(head.command, "no handler claimed it and nobody called receive() within "
                        + unclaimedNanos / 1_000_000 + " ms");
            }
        }
    }

    public Command receive() throws InterruptedException {
        return unclaimed.takeFirst().command;
    }

    public Optional<Command> receive(Duration timeout) throws InterruptedException {
        Queued q = unclaimed.pollFirst(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return Optional.ofNullable(q == null ? null : q.command);
    }

    private void refuse(Command command, String why) {
        refusedLog.warn("Not executed: " + command + ": " + why + "; answered with an error");
        answers.error(command, "not executed: " + why);
    }

    /** @return why the command is too old to run, or null */
    private String staleness(Command command) {
        Object time = command.fields().get("time");
        long sent;
        try {
            sent = time instanceof Number n ? n.longValue() : time instanceof String s ? Long.parseLong(s.trim()) : -1;
        } catch (NumberFormatException e) {
            return null; // no usable time: judged by its wait only
        }
        if (sent <= 0) {
            return null;
        }
        long sentMillis = sent < 100_000_000_000L ? sent * 1000 : sent; // seconds (as the platform sends) or millis
        return age.staleness(sentMillis);
    }
}
