package org.sepl.connector.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The platform as a gateway meets it: a long-running endpoint in a process of its own, its code already warm. A
 * fresh client JVM's first synchronisation is measured against this (as against an independent endpoint), not
 * against an emulator that starts cold in the client's own JVM and compiles its code on the same two cores.
 * <p>
 * {@link #main} starts the emulator, warms it with the bare JDK client (handshakes, synchronisations of
 * {@value #WARM_UP_DEVICES} devices, events), prints {@code READY <uri>} and serves until its standard input closes,
 * so that it ends with the JVM that started it.
 */
public final class WarmPlatform implements AutoCloseable {

    static final String USER = "bench";
    static final String PASSWORD = "bench";
    static final int WARM_UP_DEVICES = 10_000;
    private static final int WARM_UP_ROUNDS = 4;

    private final Process process;
    private final URI uri;

    private WarmPlatform(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    /** Starts a warm platform in a child JVM (same Java, same class path) and waits until it is warm. */
    static WarmPlatform start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WarmPlatform.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null;) {
            if (line.startsWith("READY ")) {
                return new WarmPlatform(p, URI.create(line.substring(6)));
            }
        }
        p.destroyForcibly();
        throw new IOException("the platform process ended before it was ready (exit code " + waitFor(p) + ")");
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        process.destroy();
        if (waitFor(process) == -1) {
            process.destroyForcibly();
        }
    }

    public static void main(String[] args) throws Exception {
        org.sepl.connector.emulator.PlatformEmulator platform = org.sepl.connector.emulator.PlatformEmulator.builder()
                .user(USER, PASSWORD).eventHistory(1000).start();
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            try (BareGateway gateway = new BareGateway(platform.uri(), USER, PASSWORD)) { // a new gateway each
                gateway.putDevices("warm-" + round, WARM_UP_DEVICES);
                gateway.sendEvents(20_000);
            }
        }
        System.out.println("READY " + platform.uri());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the parent goes away
        }
        platform.close();
    }
}
