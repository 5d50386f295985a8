package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@code --demo-host}: the demo's emulator and its web page on another address, for a headless gateway. */
class DemoPlatformTest {

    @Test
    void onEveryInterfaceThePageAnswersOnTheMachinesAddressAndTheClientUsesLoopback() throws Exception {
        try (DemoPlatform demo = DemoPlatform.start("0.0.0.0", "demo", "demo")) {
            assertEquals("127.0.0.1", demo.clientHost());
            assertTrue(demo.banner().contains("From another machine: http://THIS-MACHINE:"), demo.banner());
            String page = "http://" + nonLoopbackAddress().orElse("127.0.0.1") + ":" + controlPort(demo) + "/";
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(page))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), page);
        }
    }

    @Test
    void byDefaultItIsForThisMachineOnly() throws Exception {
        try (DemoPlatform demo = DemoPlatform.start(DemoPlatform.DEFAULT_HOST, "demo", "demo")) {
            assertEquals("127.0.0.1", demo.clientHost());
            assertFalse(demo.banner().contains("From another machine"), demo.banner());
        }
    }

    private static int controlPort(DemoPlatform demo) {
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("Watch it in a browser: http://[^:]+:(\\d+)/")
                .matcher(demo.banner());
        assertTrue(port.find(), demo.banner());
        return Integer.parseInt(port.group(1));
    }

    /** An IPv4 address of this machine other than loopback, as a laptop on the network would reach it. */
    private static Optional<String> nonLoopbackAddress() throws Exception {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address)
                .map(InetAddress::getHostAddress).findFirst();
    }
}
