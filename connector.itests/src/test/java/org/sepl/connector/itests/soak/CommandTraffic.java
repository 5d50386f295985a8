package org.sepl.connector.itests.soak;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.sepl.connector.emulator.PlatformEmulator;

/**
 * The platform's commands throughout the run, at a steady rate, each for a meter chosen at random. A command for a
 * device no connection listens to (the gateway is down or reconnecting) is not sent: the emulator refuses it at once,
 * and it is counted as such. What became of the others is in the emulator's command ledger.
 */
final class CommandTraffic {

    /** The service of every soak command. */
    static final String SERVICE = "switch";

    private final PlatformEmulator platform;
    private final SplittableRandom random;
    private final PacedLoop loop;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();

    CommandTraffic(PlatformEmulator platform, int perSecond, SplittableRandom random) {
        this.platform = platform;
        this.random = random;
        loop = new PacedLoop("soak-commands", Duration.ofSeconds(1).dividedBy(perSecond), this::send);
    }

    void start() {
        loop.start();
    }

    void stop() throws InterruptedException {
        loop.stop();
    }

    long sent() {
        return sent.get();
    }

    long notSent() {
        return notSent.get();
    }

    private void send(long n) {
        String device = SoakGateway.METERS.get(random.nextInt(SoakGateway.METERS.size()));
        try {
            platform.sendCommand(device, SERVICE, "{\"on\":" + (n % 2 == 0) + "}", null);
            sent.incrementAndGet();
        } catch (IllegalStateException e) {
            notSent.incrementAndGet(); // no connection listens to the device now
        }
    }
}
