package org.sepl.connector.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The command line as a first-day user meets it, in a JVM of its own (exit status and output are the point). */
class MainTest {

    private record Run(int status, List<String> out, List<String> err) {
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the emulator did not exit within 60 s: " + command);
        }
        return new Run(p.exitValue(), lines(p.getInputStream().readAllBytes()), lines(p.getErrorStream().readAllBytes()));
    }

    private static List<String> lines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    @Test
    void aTakenWebSocketPortIsOneLineSayingWhatToDoAndANonZeroStatus() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run run = java("--port", Integer.toString(port), "--control-port", "-1");
            assertEquals(Main.PORT_IN_USE, run.status());
            assertEquals(List.of("platform-emulator: port " + port + " (WebSocket) is in use: choose another with --port N,"
                    + " or --port 0 for a free one"), run.err());
            assertEquals(List.of(), run.out());

            Run relayed = java("--port", Integer.toString(port), "--control-port", "-1", "--link-faults");
            assertEquals(Main.PORT_IN_USE, relayed.status());
            assertEquals(1, relayed.err().size(), relayed.err().toString());
        }
    }

    @Test
    void aTakenControlPortIsOneLineSayingWhatToDoAndANonZeroStatus() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run run = java("--port", "0", "--control-port", Integer.toString(port));
            assertEquals(Main.PORT_IN_USE, run.status());
            assertEquals(1, run.err().size(), run.err().toString());
            String line = run.err().get(0);
            assertTrue(line.startsWith("platform-emulator: port " + port + " (HTTP control) is in use: choose another with "
                    + "--control-port N, or --control-port 0 for a free one"), line);
        }
    }
}
