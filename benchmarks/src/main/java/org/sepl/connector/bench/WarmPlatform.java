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
 * so that it ends with the JVM that started it. Meanwhile it takes one request per line on standard input and answers
 * each with one line: {@code command DEVICE} sends a command to the device's gateway and answers {@code done} when the
 * gateway's answer arrived (the command round trip, as the platform sees it, plus this pipe); {@code ping} answers
 * {@code pong} at once (the pipe alone, to subtract).
 */
public final class WarmPlatform implements AutoCloseable {

    static final String USER = "bench";
    static final String PASSWORD = "bench";
    static final int WARM_UP_DEVICES = 10_000;
    private static final int WARM_UP_ROUNDS = 4;

    private final Process process;
    private final URI uri;
    private final BufferedReader replies;
    private final java.io.Writer requests;

    private WarmPlatform(Process process, URI uri, BufferedReader replies) {
        this.process = process;
        this.uri = uri;
        this.replies = replies;
        this.requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts a warm platform in a child JVM (same Java, same class path) and waits until it is warm. */
    static WarmPlatform start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WarmPlatform.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null;) {
            if (line.startsWith("READY ")) {
                return new WarmPlatform(p, URI.create(line.substring(6)), out);
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

    /** Has the platform send a command to {@code device} and waits for the gateway's answer to reach it. */
    void command(String device) throws IOException {
        request("command " + device, "done");
    }

    /** A request that does nothing: what the pipe to the platform's process costs. */
    void ping() throws IOException {
        request("ping", "pong");
    }

    private void request(String line, String expected) throws IOException {
        requests.write(line);
        requests.write('\n');
        requests.flush();
        String reply = replies.readLine();
        if (!expected.equals(reply)) {
            throw new IOException("the platform process answered \"" + reply + "\" to \"" + line + "\"");
        }
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
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null;) { // serve until the parent goes away
            if (line.equals("ping")) {
                System.out.println("pong");
            } else if (line.startsWith("command ")) {
                try {
                    platform.sendCommand(line.substring(8), "set_on", "{\"on\":true}", null).get(10, TimeUnit.SECONDS);
                    System.out.println("done");
                } catch (Exception e) {
                    System.out.println("failed: " + e);
                }
            } else {
                System.out.println("unknown request: " + line);
            }
            System.out.flush();
        }
        platform.close();
    }
}
