package org.sepl.connector.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The bare reference client: the JDK's WebSocket speaking the protocol by hand (handshake, one {@code put} of
 * {@code meter-1}, then {@code event} frames with up to {@value #WINDOW} unanswered), no connector code at all. The
 * one pipelining loop behind {@link EmulatorBenchmark} and {@link EventThroughputBench}.
 */
final class BareGateway implements AutoCloseable {

    static final int WINDOW = 1000;

    private static final String EVENT_BODY = "\",\"payload\":{\"device_uri\":\"meter-1\",\"service_uri\":\"reading\","
            + "\"value\":[{\"name\":\"metadata\",\"value\":null},{\"name\":\"data\",\"value\":\"{\\\"kwh\\\":1.5}\"}]}}";

    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final CompletableFuture<String> handshake = new CompletableFuture<>();
    private final WebSocket socket;
    private long nextToken;

    /** Connects, handshakes and puts the device the events are for. */
    BareGateway(URI uri, String user, String password) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String frame = partial.toString();
                            partial.setLength(0);
                            if (!handshake.isDone()) {
                                handshake.complete(frame);
                            } else if (frame.contains("\"handler\":\"command\"")) {
                                answer(ws, frame);
                            } else if (frame.contains("\"token\":\"answer-")) {
                                // the platform took an answer to a command
                            } else {
                                (frame.startsWith("{\"status\":200") ? acknowledged : refused).incrementAndGet();
                                window.release();
                            }
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        handshake.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        socket.sendText("{\"user\":\"" + user + "\",\"pw\":\"" + password + "\",\"gid\":\"\",\"token\":\"credentials\"}",
                true).join();
        String reply = handshake.get(5, TimeUnit.SECONDS);
        if (!reply.startsWith("{\"status\":200")) {
            throw new IllegalStateException("handshake failed: " + reply);
        }
        window.acquire();
        socket.sendText("{\"handler\":\"put\",\"token\":\"put-1\",\"payload\":{\"uri\":\"meter-1\",\"name\":\"Meter\","
                + "\"iot_type\":\"iot#meter\",\"tags\":[]}}", true).join();
        awaitAllAnswers();
        if (acknowledged.getAndSet(0) != 1) {
            throw new IllegalStateException("the put of the benchmark's device was refused");
        }
    }

    private long nextAnswer;

    /** Answers a command at once on the I/O thread: its payload sent back as is (protocol parts unchanged). */
    private void answer(WebSocket ws, String command) {
        String payload = command.substring(command.indexOf("\"payload\":") + 10, command.lastIndexOf('}'));
        ws.sendText("{\"handler\":\"response\",\"token\":\"answer-" + (nextAnswer++) + "\",\"payload\":" + payload + "}",
                true);
    }

    /**
     * Sends {@code events} events, pipelined up to the window, and waits for every answer.
     *
     * @throws IllegalStateException if any was not answered with 200
     */
    void sendEvents(int events) throws Exception {
        sendAll(events, i -> "{\"handler\":\"event\",\"token\":\"e" + (nextToken++) + EVENT_BODY, "events");
    }

    /**
     * Puts {@code devices} devices ({@code PREFIX-0}…), pipelined up to the window, and waits for every answer: the
     * platform's side of a first synchronisation.
     *
     * @throws IllegalStateException if any was not answered with 200
     */
    void putDevices(String prefix, int devices) throws Exception {
        sendAll(devices, i -> "{\"handler\":\"put\",\"token\":\"p" + (nextToken++) + "\",\"payload\":{\"uri\":\"" + prefix
                + "-" + i + "\",\"name\":\"Sensor " + i + "\",\"iot_type\":\"iot#sensor\",\"tags\":[\"room:r" + (i % 50)
                + "\"]}}", "puts");
    }

    /** Sends {@code n} requests, keeping at most {@link #WINDOW} unanswered, and waits for every answer to be 200. */
    private void sendAll(int n, IntFunction<String> frame, String what) throws Exception {
        long okBefore = acknowledged.get();
        long refusedBefore = refused.get();
        for (int i = 0; i < n; i++) {
            window.acquire();
            // the JDK WebSocket allows one outstanding send: join() before the next; answers flow meanwhile
            socket.sendText(frame.apply(i), true).join();
        }
        awaitAllAnswers();
        long ok = acknowledged.get() - okBefore;
        if (ok != n || refused.get() != refusedBefore) {
            throw new IllegalStateException(ok + " of " + n + " " + what + " acknowledged");
        }
    }

    private void awaitAllAnswers() throws InterruptedException {
        if (!window.tryAcquire(WINDOW, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("answers missing after 30 s");
        }
        window.release(WINDOW);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
