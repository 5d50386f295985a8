package org.sepl.connector.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.stream.Stream;

import org.sepl.connector.emulator.PlatformEmulator;

/**
 * The local platform of the demo: a {@link PlatformEmulator} in the launcher's JVM (not in the framework) on a
 * free port, with an HTTP control port and web page (8081 if free, else a free one) to watch it and send commands
 * from the outside. It listens on 127.0.0.1 unless {@code --demo-host} says otherwise (a headless gateway watched
 * from a laptop: {@code --demo-host 0.0.0.0}).
 */
final class DemoPlatform implements AutoCloseable {

    static final int PREFERRED_CONTROL_PORT = 8081;
    /** Loopback: the emulator's control port lets anyone send the demo's devices commands. */
    static final String DEFAULT_HOST = "127.0.0.1";

    private final PlatformEmulator emulator;
    private final String host;
    private final String user;

    private DemoPlatform(PlatformEmulator emulator, String host, String user) {
        this.emulator = emulator;
        this.host = host;
        this.user = user;
    }

    /**
     * Starts the emulator on {@code host} with one account.
     *
     * @throws IOException if it cannot listen
     */
    static DemoPlatform start(String host, String user, String password) throws IOException {
        PlatformEmulator emulator;
        try {
            emulator = builder(host, user, password).controlPort(PREFERRED_CONTROL_PORT).start();
        } catch (IOException e) {
            emulator = builder(host, user, password).controlPort(0).start();
        }
        return new DemoPlatform(emulator, host, user);
    }

    private static PlatformEmulator.Builder builder(String host, String user, String password) {
        return PlatformEmulator.builder().host(host).port(0).user(user, password);
    }

    int port() {
        return emulator.port();
    }

    /** @return the host the demo's client connects to: loopback when the emulator listens on every interface */
    String clientHost() {
        return isWildcard(host) ? DEFAULT_HOST : host;
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** What to tell the user: where the platform is, how to command the lamp, how to use a real platform. */
    String banner() {
        String pageHost = clientHost().contains(":") ? "[" + clientHost() + "]" : clientHost();
        String control = "http://" + pageHost + ":" + emulator.controlPort();
        String elsewhere = isWildcard(host)
                ? "   From another machine: http://THIS-MACHINE:" + emulator.controlPort() + "/ (listening on " + host
                        + ")"
                : null;
        return String.join(System.lineSeparator(), Stream.of(
                "",
                "================ SEPL connector demo ================",
                "Local platform emulator: " + emulator.uri() + " (user '" + user + "')",
                "Watch it in a browser: " + control + "/   (gateways, live events, commands, restart and faults)",
                elsewhere,
                "Demo devices: demo-meter-1 (a reading every 5 s by default), demo-lamp-1 (services on, off, state).",
                "Switch the lamp on through the platform:",
                "  curl -s -X POST " + control + "/commands -H 'Content-Type: application/json' \\",
                "       -d '{\"device\":\"demo-lamp-1\",\"service\":\"on\",\"timeoutSeconds\":10}'",
                "What the platform received:  curl -s " + control + "/events   |   " + control + "/gateways",
                "Shell (on a terminal):  sepl:status   sepl:devices   sepl:event demo-meter-1 reading '{\"energy_kwh\":1}'",
                "  from another terminal, in this directory:  java -jar felix-launcher.jar shell   (or: status)",
                "Use a real platform instead:",
                "  SEPL_PASSWORD=... java -jar felix-launcher.jar --platform wss://HOST:PORT --user USER "
                        + "--password-env SEPL_PASSWORD [--demo]",
                "  or write conf/org.sepl.connector.client.cfg (see the launcher's README). Ctrl-C stops.",
                "Moving a Python connector-client gateway:  java -jar felix-launcher.jar --import-python-client DIR",
                "=====================================================",
                "").filter(Objects::nonNull).toList());
    }

    @Override
    public void close() {
        emulator.close();
    }
}
