package org.sepl.connector.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The transport under the protocol: pipelined frames in one TCP segment, big frames, TLS, client certificates. */
class TransportTest {

    @Test
    void manyRequestsInOneTcpWriteAreAllAnsweredInOrder() throws Exception {
        try (PlatformEmulator platform = PlatformEmulator.builder().user("alice", "secret").start();
                Socket raw = new Socket("127.0.0.1", platform.port())) {
            raw.setSoTimeout(5000);
            OutputStream out = raw.getOutputStream();
            DataInputStream in = new DataInputStream(raw.getInputStream());
            upgrade(out, in);
            out.write(clientFrame("{\"user\":\"alice\",\"pw\":\"secret\",\"gid\":\"\",\"token\":\"credentials\"}"));
            assertEquals(200, JsonParser.parseString(serverFrame(in)).getAsJsonObject().get("status").getAsInt());

            String bigName = "n".repeat(70_000); // frames of more than 64 KiB have an 8-byte length
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.write(clientFrame("{\"handler\":\"put\",\"token\":\"put\",\"payload\":{\"uri\":\"m1\",\"name\":\"" + bigName
                    + "\",\"iot_type\":\"iot#m\",\"tags\":[]}}"));
            int events = 500;
            for (int i = 0; i < events; i++) {
                burst.write(clientFrame("{\"handler\":\"event\",\"token\":\"e" + i + "\",\"payload\":{\"device_uri\":\"m1\","
                        + "\"service_uri\":\"s\",\"value\":[{\"name\":\"data\",\"value\":\"" + i + "\"}]}}"));
            }
            burst.write(clientFrame("{\"handler\":\"nope\",\"token\":\"" + "x".repeat(300) + "\",\"payload\":null}"));
            burst.write(clientFrame("{\"handler\":\"" + bigName + "\",\"token\":\"big\",\"payload\":null}"));
            out.write(burst.toByteArray()); // one write: the platform reads many frames at once
            out.flush();

            assertEquals("put", token(serverFrame(in)));
            for (int i = 0; i < events; i++) {
                JsonObject answer = JsonParser.parseString(serverFrame(in)).getAsJsonObject();
                assertEquals("e" + i, answer.get("token").getAsString());
                assertEquals(200, answer.get("status").getAsInt());
            }
            JsonObject unknown = JsonParser.parseString(serverFrame(in)).getAsJsonObject(); // 126 + 2 bytes header
            assertEquals(400, unknown.get("status").getAsInt());
            assertEquals("x".repeat(300), unknown.get("token").getAsString());
            JsonObject bigAnswer = JsonParser.parseString(serverFrame(in)).getAsJsonObject(); // names the handler: > 64 KiB
            assertEquals("big", bigAnswer.get("token").getAsString());
            assertTrue(bigAnswer.get("payload").getAsString().contains(bigName));
            assertEquals(events, platform.events().size());
            assertEquals(bigName, platform.gateways().get(0).devices().get(0).name());
        }
    }

    @Test
    void wssServesTheProtocolWithTheGivenKey(@TempDir Path dir) throws Exception {
        KeyStore ks = keyPair(dir.resolve("localhost.p12"), "localhost", "san=ip:127.0.0.1");
        SSLContext serverTls = tls(ks, null);
        SSLContext clientTls = tls(null, ks);

        try (PlatformEmulator platform = PlatformEmulator.builder().user("alice", "secret").tls(serverTls).start()) {
            assertTrue(platform.uri().toString().startsWith("wss://127.0.0.1:"), platform.uri().toString());
            try (TestGateway gateway = new TestGateway(platform.uri(), HttpClient.newBuilder().sslContext(clientTls).build())) {
                gateway.sendCredentials("alice", "secret", "");
                assertEquals(200, gateway.next().get("status").getAsInt());
                assertEquals(200, gateway.status("put", ProtocolTest.device("m1", "Meter", "iot#m")));
                for (int i = 0; i < 50; i++) {
                    gateway.request("event", ProtocolTest.event("m1", "s", "{\"n\":" + i + "}", null));
                }
                for (int i = 0; i < 50; i++) {
                    assertEquals(200, gateway.next().get("status").getAsInt());
                }
                assertEquals(50, platform.events().size());
            }
        }
    }

    @Test
    void aRequiredClientCertificateLetsInOnlyAGatewayWithATrustedOne(@TempDir Path dir) throws Exception {
        KeyStore server = keyPair(dir.resolve("localhost.p12"), "localhost", "san=ip:127.0.0.1");
        KeyStore gatewayKey = keyPair(dir.resolve("gateway.p12"), "gateway-1", null);
        // the platform presents its key and trusts the gateway's certificate
        SSLContext serverTls = tls(server, gatewayKey);

        try (PlatformEmulator platform = PlatformEmulator.builder().user("alice", "secret").tls(serverTls)
                .requireClientCertificate().start()) {
            try (TestGateway gateway = new TestGateway(platform.uri(),
                    HttpClient.newBuilder().sslContext(tls(gatewayKey, server)).build())) {
                gateway.sendCredentials("alice", "secret", "");
                assertEquals(200, gateway.next().get("status").getAsInt());
            }
            HttpClient withoutCertificate = HttpClient.newBuilder().sslContext(tls(null, server)).build();
            Exception refused = assertThrows(Exception.class, () -> new TestGateway(platform.uri(), withoutCertificate).close());
            boolean tls = false;
            for (Throwable c = refused; c != null; c = c.getCause()) {
                tls |= c instanceof javax.net.ssl.SSLException;
            }
            assertTrue(tls, () -> "refused by TLS: " + refused);
        }
        IllegalStateException withoutTls = assertThrows(IllegalStateException.class,
                () -> PlatformEmulator.builder().requireClientCertificate().start());
        assertEquals("requireClientCertificate() needs tls(context): client certificates are part of TLS",
                withoutTls.getMessage());
    }

    /** A new key pair and self-signed certificate for {@code CN=name} in a PKCS#12 file (password changeit). */
    private static KeyStore keyPair(Path file, String name, String extension) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-dname", "CN=" + name, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "changeit"));
        if (extension != null) {
            command.addAll(List.of("-ext", extension));
        }
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), () -> "keytool failed: " + output(keytool));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }

    /** A TLS context presenting {@code keys} (null: none) and trusting {@code trusted}'s certificates. */
    private static SSLContext tls(KeyStore keys, KeyStore trusted) throws Exception {
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), trusted == null ? null : tmf.getTrustManagers(), null);
        return context;
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String token(String frame) {
        return JsonParser.parseString(frame).getAsJsonObject().get("token").getAsString();
    }

    private static void upgrade(OutputStream out, InputStream in) throws IOException {
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade: " + head);
            }
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head::toString);
    }

    /** A masked (as a client must) text frame. */
    private static byte[] clientFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        int n = payload.length;
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n <= 0xFFFF) {
            f.write(0x80 | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) n >>> (8 * i)));
            }
        }
        f.writeBytes(mask);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    /** The next server frame, which must be an unmasked, unfragmented text frame. */
    private static String serverFrame(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertEquals(0x81, b0, "a final text frame");
        assertEquals(0, b1 & 0x80, "server frames are not masked");
        long n = b1 & 0x7F;
        if (n == 126) {
            n = in.readUnsignedShort();
        } else if (n == 127) {
            n = in.readLong();
        }
        byte[] payload = new byte[(int) n];
        in.readFully(payload);
        return new String(payload, StandardCharsets.UTF_8);
    }
}
