package org.sepl.connector.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar platform-emulator.jar --port 8080 --user alice --password secret [options]}; see {@link #USAGE}.
 */
public final class Main {

    static final String USAGE = """
            Usage: java -jar platform-emulator.jar [options]
              --port N                    WebSocket port (default 8080; 0 = a free port)
              --user NAME                 an account's user name (repeat --user/--password for more accounts)
              --password SECRET           the password of the preceding --user
              --host HOST                 address to listen on, WebSocket and HTTP control (default 127.0.0.1; 0.0.0.0 = all)
              --control-port N            HTTP/JSON control port, and the web page at http://HOST:N/
                                          (default 8081; 0 = a free port; -1 = off)
              --state-file FILE           keep gateways, devices and hashes in FILE across restarts
              --ping-interval-seconds N   ping quiet connections every N s (default 20)
              --read-timeout-seconds N    drop connections silent for N s (default 40)
              --link-faults               relay connections through the emulator, for the link faults of the
                                          control page (silent connections, slow reader); adds a hop
              --help                      this text
            Without --user, one account demo/demo is created.""";

    private Main() {
    }

    /** Exit status when a port to listen on is taken. */
    static final int PORT_IN_USE = 3;
    /** Exit status for a wrong command line. */
    static final int USAGE_ERROR = 2;

    public static void main(String[] args) throws IOException, InterruptedException {
        PlatformEmulator emulator = start(args, System.out, System.err);
        if (emulator == null) {
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "platform-emulator-shutdown"));
        stopped.await();
    }

    /**
     * Parses the command line and starts the emulator; prints what is wrong in one line (and exits with
     * {@link #USAGE_ERROR} or {@link #PORT_IN_USE}) if it cannot. Null after {@code --help}.
     */
    static PlatformEmulator start(String[] args, PrintStream out, PrintStream err) throws IOException {
        PlatformEmulator.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("platform-emulator: " + e.getMessage());
            err.println(USAGE);
            System.exit(USAGE_ERROR);
            return null;
        }
        if (builder == null) {
            out.println(USAGE);
            return null;
        }
        PlatformEmulator emulator;
        try {
            emulator = builder.start();
        } catch (PortInUseException e) {
            err.println("platform-emulator: " + portAdvice(e));
            System.exit(PORT_IN_USE);
            return null;
        }
        out.println("SEPL platform emulator listening on " + emulator.uri()
                + (emulator.controlPort() < 0 ? "" : "; control and web page: http://" + builder.host() + ":" + emulator.controlPort() + "/"));
        return emulator;
    }

    /** E.g. "port 8080 (WebSocket) is in use: choose another with --port N, or --port 0 for a free one". */
    static String portAdvice(PortInUseException e) {
        String flag = e.server() == PortInUseException.Server.WEBSOCKET ? "--port" : "--control-port";
        String what = e.server() == PortInUseException.Server.WEBSOCKET ? "WebSocket" : "HTTP control";
        return "port " + e.port() + " (" + what + ") is in use: choose another with " + flag + " N, or " + flag
                + " 0 for a free one" + (e.server() == PortInUseException.Server.CONTROL ? " (-1: no control port)" : "");
    }

    /** @return the builder, or null if only help was asked for */
    static PlatformEmulator.Builder parse(String[] args) {
        PlatformEmulator.Builder b = PlatformEmulator.builder().port(8080).controlPort(8081);
        List<String[]> users = new ArrayList<>();
        String pendingUser = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (flag.equals("--link-faults")) {
                b.linkFaults(true);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> b.port(number(flag, value));
                case "--host" -> b.host(value);
                case "--control-port" -> b.controlPort(number(flag, value));
                case "--state-file" -> b.stateFile(Path.of(value));
                case "--ping-interval-seconds" -> b.pingInterval(Duration.ofSeconds(number(flag, value)));
                case "--read-timeout-seconds" -> b.readTimeout(Duration.ofSeconds(number(flag, value)));
                case "--user" -> {
                    if (pendingUser != null) {
                        throw new IllegalArgumentException("--user " + pendingUser + " has no --password");
                    }
                    pendingUser = value;
                }
                case "--password" -> {
                    if (pendingUser == null) {
                        throw new IllegalArgumentException("--password must follow a --user");
                    }
                    users.add(new String[] {pendingUser, value});
                    pendingUser = null;
                }
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (pendingUser != null) {
            throw new IllegalArgumentException("--user " + pendingUser + " has no --password");
        }
        if (users.isEmpty()) {
            users.add(new String[] {"demo", "demo"});
        }
        users.forEach(u -> b.user(u[0], u[1]));
        return b;
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, was '" + value + "'");
        }
    }
}
