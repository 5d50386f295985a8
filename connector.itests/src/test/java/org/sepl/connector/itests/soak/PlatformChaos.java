package org.sepl.connector.itests.soak;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.emulator.ThrottleKey;

/**
 * The platform's side of the soak's chaos: the emulator's faults, chosen with a seeded random. For the whole run some
 * answers are lost or late and some commands come twice ({@link #armShares}); on top of that {@link #inject} arms one
 * fault at a time, holding those that last (refused handshakes, a slow reader, throttling) for a few seconds.
 * <p>
 * No fault holds an answer back as long as the gateway's request timeout ({@link SoakGateway#REQUEST_TIMEOUT}): a
 * timeout on a live link would send a request again while the platform still applies the first, a duplicate no link
 * loss explains. Failures are 500s (retried); a 400 would be a final refusal, not a fault of the link.
 */
final class PlatformChaos {

    /** The faults {@link #inject} chooses from, equally likely. */
    enum Fault {
        FAIL_NEXT, DELAY_NEXT, DROP_NEXT, CLOSE_ON_NEXT, REJECT_HANDSHAKES, SILENCE_OPEN, SILENCE_ON_NEXT, SLOW_READER,
        THROTTLE, RESTART, CLOSE_ALL
    }

    private static final List<String> APPLIED_HANDLERS = List.of("event", "put", "commit", "delete", "response");
    private static final List<String> STREAM_HANDLERS = List.of("event", "response");
    /** Throttling: the sessions are closed again this long after the first close, within the throttle's window. */
    private static final Duration THROTTLE_SECOND_CLOSE = Duration.ofMillis(700);

    private final PlatformEmulator platform;
    private final SplittableRandom random;
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);

    PlatformChaos(PlatformEmulator platform, SplittableRandom random) {
        this.platform = platform;
        this.random = random;
    }

    /** The shares that last the whole run (the emulator draws them from its own seeded streams). */
    void armShares() {
        platform.faults()
                .dropAnswers("event", 0.01)
                .delayAnswers("event", 0.02, Duration.ofMillis(300))
                .dropAnswers("response", 0.02)
                .delayAnswers("response", 0.05, Duration.ofMillis(500))
                .duplicateCommands(0.1);
    }

    /** Arms one fault, chosen at random, and holds it while it lasts; returns what it did, for the log. */
    String inject() throws InterruptedException {
        Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
        injected.merge(fault, 1, Integer::sum);
        PlatformEmulator.Faults faults = platform.faults();
        switch (fault) {
            case FAIL_NEXT -> {
                String handler = pick(APPLIED_HANDLERS);
                int n = 1 + random.nextInt(5);
                faults.failNext(handler, n, 500);
                return "the next " + n + " " + handler + " answered 500";
            }
            case DELAY_NEXT -> {
                String handler = pick(APPLIED_HANDLERS);
                int n = 1 + random.nextInt(3);
                Duration delay = Duration.ofMillis(100 + random.nextInt(700));
                faults.delayNext(handler, n, delay);
                return "the next " + n + " " + handler + " handled " + delay.toMillis() + " ms late";
            }
            case DROP_NEXT -> {
                String handler = pick(STREAM_HANDLERS);
                int n = 1 + random.nextInt(3);
                faults.dropNext(handler, n);
                return "the next " + n + " " + handler + " dropped";
            }
            case CLOSE_ON_NEXT -> {
                String handler = pick(APPLIED_HANDLERS);
                faults.closeOnNext(handler);
                return "connection dropped at the next " + handler;
            }
            case REJECT_HANDSHAKES -> {
                Duration hold = hold(500, 3_000);
                faults.rejectHandshakes(true);
                platform.closeAllSessions();
                Thread.sleep(hold.toMillis()); // the fault's duration, not a wait for a condition
                faults.rejectHandshakes(false);
                return "sessions closed, handshakes refused for " + hold.toMillis() + " ms";
            }
            case SILENCE_OPEN -> {
                faults.silenceOpenConnections();
                return "open connections silenced (half-open)";
            }
            case SILENCE_ON_NEXT -> {
                String handler = pick(STREAM_HANDLERS);
                faults.silenceOnNext(handler);
                return "connection silenced at the next " + handler;
            }
            case SLOW_READER -> {
                int bytesPerSecond = 30_000 + random.nextInt(50_000);
                Duration hold = hold(2_000, 6_000);
                faults.slowReader(bytesPerSecond);
                Thread.sleep(hold.toMillis());
                faults.slowReader(0);
                return "read at " + bytesPerSecond + " B/s for " + hold.toMillis() + " ms";
            }
            case THROTTLE -> {
                Duration hold = hold(4_000, 8_000);
                faults.throttleConnections(ThrottleKey.USER, 1, Duration.ofSeconds(3));
                platform.closeAllSessions();
                Thread.sleep(THROTTLE_SECOND_CLOSE.toMillis()); // the gateway is back: its next attempt comes too soon
                platform.closeAllSessions();
                Thread.sleep(hold.toMillis());
                // there is no "unthrottle" short of clear(), which would disarm the shares too: a limit nobody reaches
                faults.throttleConnections(ThrottleKey.USER, Integer.MAX_VALUE, Duration.ofMillis(1));
                return "sessions closed twice, 1 connection per 3 s per user for " + hold.toMillis() + " ms";
            }
            case RESTART -> {
                Duration down = hold(0, 2_000);
                platform.restart(down);
                return "platform restarted, down " + down.toMillis() + " ms";
            }
            case CLOSE_ALL -> {
                platform.closeAllSessions();
                return "sessions closed (1001)";
            }
            default -> throw new IllegalStateException("no such fault: " + fault);
        }
    }

    /** Disarms every fault for the quiet end (silenced connections stay silent until the gateway drops them). */
    void calm() {
        platform.faults().clear();
    }

    /** What {@link #inject} armed, by fault. */
    Map<Fault, Integer> injected() {
        return Map.copyOf(injected);
    }

    private String pick(List<String> handlers) {
        return handlers.get(random.nextInt(handlers.size()));
    }

    private Duration hold(int fromMillis, int toMillis) {
        return Duration.ofMillis(fromMillis + random.nextInt(toMillis - fromMillis + 1));
    }
}
