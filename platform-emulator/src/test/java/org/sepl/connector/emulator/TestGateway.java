package org.sepl.connector.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** A bare protocol client on the JDK's WebSocket: sends frames, hands back what the platform sent. */
final class TestGateway implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(5);
    private static final Gson GSON = new Gson();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    /** Completes with the close code when the connection ends (1006 for a drop without close frame). */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger pongs = new AtomicInteger();
    private final WebSocket socket;
    private final AtomicInteger tokens = new AtomicInteger();

    TestGateway(URI uri) throws Exception {
        this(uri, HttpClient.newHttpClient());
    }

    /** Through {@code http}, e.g. one trusting the platform's TLS certificate. */
    TestGateway(URI uri, HttpClient http) throws Exception {
        socket = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
                pings.incrementAndGet();
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
                pongs.incrementAndGet();
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(1006); // the TCP connection ended without a close frame
            }
        }).get(5, TimeUnit.SECONDS);
    }

    /** Connects and sends the credentials frame; returns the handshake's answer. */
    static TestGateway handshake(PlatformEmulator platform, String user, String password, String gid) throws Exception {
        TestGateway g = new TestGateway(platform.uri());
        g.sendCredentials(user, password, gid);
        JsonObject answer = g.next();
        if (answer.get("status").getAsInt() != 200) {
            throw new AssertionError("handshake failed: " + answer);
        }
        return g;
    }

    void sendCredentials(String user, String password, String gid) {
        JsonObject c = new JsonObject();
        c.addProperty("user", user);
        c.addProperty("pw", password);
        c.addProperty("gid", gid);
        c.addProperty("token", "credentials");
        send(c.toString());
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void ping() {
        socket.sendPing(ByteBuffer.wrap(new byte[] {1})).join();
    }

    /** Sends a request; returns its token. */
    String request(String handler, Object payload) {
        String token = "t" + tokens.incrementAndGet();
        JsonObject envelope = new JsonObject();
        envelope.addProperty("handler", handler);
        envelope.addProperty("token", token);
        envelope.add("payload", GSON.toJsonTree(payload));
        send(envelope.toString());
        return token;
    }

    /** Sends a request and returns the platform's answer to it (the next frame, which must carry its token). */
    JsonObject call(String handler, Object payload) throws InterruptedException {
        String token = request(handler, payload);
        JsonObject answer = next();
        if (!token.equals(answer.get("token").getAsString())) {
            throw new AssertionError("expected the answer to " + token + ", got " + answer);
        }
        return answer;
    }

    int status(String handler, Object payload) throws InterruptedException {
        return call(handler, payload).get("status").getAsInt();
    }

    JsonObject next() throws InterruptedException {
        String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame from the platform within " + WAIT);
        }
        JsonElement e = JsonParser.parseString(frame);
        return e.getAsJsonObject();
    }

    /** Null if nothing arrives within {@code wait}. */
    String poll(Duration wait) throws InterruptedException {
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    int awaitClosed() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }
}
