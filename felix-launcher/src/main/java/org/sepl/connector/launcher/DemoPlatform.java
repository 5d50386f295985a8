package org.sepl.connector.launcher;

import java.io.IOException;

import org.sepl.connector.emulator.PlatformEmulator;

/**
 * The local platform of the demo: a {@link PlatformEmulator} in the launcher's JVM (not in the framework) on a
 * free port, with an HTTP control port (8081 if free, else a free one) to send commands from the outside.
 */
final class DemoPlatform implements AutoCloseable {

    static final int PREFERRED_CONTROL_PORT = 8081;

    private final PlatformEmulator emulator;
    private final String user;

    private DemoPlatform(PlatformEmulator emulator, String user) {
        this.emulator = emulator;
        this.user = user;
    }

    /**
     * Starts the emulator on 127.0.0.1 with one account.
     *
     * @throws IOException if it cannot listen
     */
    static DemoPlatform start(String user, String password) throws IOException {
        PlatformEmulator emulator;
        try {
            emulator = builder(user, password).controlPort(PREFERRED_CONTROL_PORT).start();
        } catch (IOException e) {
            emulator = builder(user, password).controlPort(0).start();
        }
        return new DemoPlatform(emulator, user);
    }

    private static PlatformEmulator.Builder builder(String user, String password) {
        return PlatformEmulator.builder().host("127.0.0.1").port(0).user(user, password);
    }

    int port() {
        return emulator.port();
    }

    /** What to tell the user: where the platform is, how to command the lamp, how to use a real platform. */
    String banner() {
        String control = "http://127.0.0.1:" + emulator.controlPort();
        return String.join(System.lineSeparator(),
                "",
                "================ SEPL connector demo ================",
                "Local platform emulator: " + emulator.uri() + " (user '" + user + "')",
                "Watch it in a browser: " + control + "/   (gateways, live events, commands, restart and faults)",
                "Demo devices: demo-meter-1 (a reading every 5 s by default), demo-lamp-1 (services on, off, state).",
                "Switch the lamp on through the platform:",
                "  curl -s -X POST " + control + "/commands -H 'Content-Type: application/json' \\",
                "       -d '{\"device\":\"demo-lamp-1\",\"service\":\"on\",\"timeoutSeconds\":10}'",
                "What the platform received:  curl -s " + control + "/events   |   " + control + "/gateways",
                "Shell (on a terminal):  sepl:status   sepl:devices   sepl:event demo-meter-1 reading '{\"energy_kwh\":1}'",
                "Use a real platform instead:",
                "  java -jar felix-launcher.jar --platform wss://HOST:PORT --user USER --password PASSWORD [--demo]",
                "  or write conf/org.sepl.connector.client.cfg (see the launcher's README). Ctrl-C stops.",
                "Moving a Python connector-client gateway:  java -jar felix-launcher.jar --import-python-client DIR",
                "=====================================================",
                "");
    }

    @Override
    public void close() {
        emulator.close();
    }
}
