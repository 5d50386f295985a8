package org.sepl.connector.impl;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.sepl.connector.api.transport.ConnectionOptions;
import org.sepl.connector.api.transport.WebSocketTransport;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A transport whose "platform" is the test: it sees every frame the client sends and decides every answer, so
 * that tests can send what a real endpoint would not (malformed frames, silence, odd tokens).
 */
final class FakeTransport implements WebSocketTransport {

    final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    volatile boolean answerPings = true;
    private volatile Listener listener;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Connection connect(URI uri, ConnectionOptions options, Listener l) throws IOException {
        listener = l;
        return new Connection() {
            @Override
            public void send(String text, Consumer<Throwable> onFailure) {
                sent.add(text);
            }

            @Override
            public void ping() {
                if (answerPings) {
                    l.onPong();
                }
            }

            @Override
            public void close(int code, String reason) {
                l.onClosed(code, reason);
            }
        };
    }

    @Override
    public void close() {
    }

    /**
     * A builder of a client of this "platform", with short timings: requests time out after 5 s, reconnects come
     * after 10-50 ms, keep-alive is 30 s, the window holds 2 requests, the command queue 10.
     */
    ConnectorClientBuilder client(String user, String password) {
        return new ConnectorClientBuilder().platform("localhost", 1, false).credentials(user, password)
                .requestTimeout(java.time.Duration.ofSeconds(5))
                .reconnectDelay(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50))
                .keepAlive(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30))
                .maxRequestsInFlight(2).commandQueueSize(10).transport(this)
                .deviceManager(new org.sepl.connector.store.memory.InMemoryDeviceManager());
    }

    /** The next frame the client sent, as JSON. */
    JsonObject next() throws InterruptedException {
        String frame = sent.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            StringBuilder dump = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, st) -> {
                if (t.getName().startsWith("sepl")) {
                    dump.append(t.getName()).append('\n');
                    for (StackTraceElement e : st) {
                        dump.append("   ").append(e).append('\n');
                    }
                }
            });
            System.err.println(dump);
            throw new AssertionError("the client sent nothing within 10 s");
        }
        return JsonParser.parseString(frame).getAsJsonObject();
    }

    /** Frames from the "platform". */
    void deliver(String frame) {
        listener.onText(frame);
    }

    /** The TCP connection drops, as the transport reports it. */
    void drop() {
        listener.onClosed(1006, "");
    }

    void answer(JsonObject request, int status, String payloadJson) {
        deliver("{\"status\":" + status + ",\"handler\":\"response\",\"token\":\"" + request.get("token").getAsString()
                + "\",\"content_type\":\"string\",\"payload\":" + payloadJson + "}");
    }

    /** Plays the handshake (gateway "gw-1", with this stored hash). */
    void acceptHandshake(String hash) throws InterruptedException {
        JsonObject credentials = next();
        answer(credentials, 200, "{\"gid\":\"gw-1\",\"hash\":\"" + hash + "\"}");
    }
}
