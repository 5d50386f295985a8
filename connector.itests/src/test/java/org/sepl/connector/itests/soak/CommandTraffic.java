package org.sepl.connector.itests.soak;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

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
    private final int perSecond;
    private final SplittableRandom random;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();
    private volatile boolean running = true;

    CommandTraffic(PlatformEmulator platform, int perSecond, SplittableRandom random) {
        this.platform = platform;
        this.perSecond = perSecond;
        this.random = random;
        thread = new Thread(this::send, "soak-commands");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }

    long sent() {
        return sent.get();
    }

    long notSent() {
        return notSent.get();
    }

    private void send() {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        for (long n = 0; running; n++) {
            long wait = start + n * periodNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing, not waiting for a condition
            }
            String device = SoakGateway.METERS.get(random.nextInt(SoakGateway.METERS.size()));
            try {
                platform.sendCommand(device, SERVICE, "{\"on\":" + (n % 2 == 0) + "}", null);
                sent.incrementAndGet();
            } catch (IllegalStateException e) {
                notSent.incrementAndGet(); // no connection listens to the device now
            }
        }
    }
}
