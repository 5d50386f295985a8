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

import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientContainer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.sepl.connector.transport.jdk.HttpClients;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

/**
 * The bare reference client: a WebSocket speaking the protocol by hand (handshake, one {@code put} of
 * {@code meter-1}, then {@code event} frames with up to {@value #WINDOW} unanswered), no connector code at all. The
 * one pipelining loop behind {@link EmulatorBenchmark}, {@link RemotePlatformBenchmark} and
 * {@link EventThroughputBench}. The WebSocket is the library of one of the client's transports (the JDK's, Tyrus), so
 * that each transport is measured against the floor of its own library, or {@link #overJavaWebSocket TooTallNate's
 * Java-WebSocket} to compare what each costs in a fresh JVM.
 */
final class BareGateway implements AutoCloseable {

    static final int WINDOW = 1000;

    private static final String EVENT_BODY = "\",\"payload\":{\"device_uri\":\"meter-1\",\"service_uri\":\"reading\","
            + "\"value\":[{\"name\":\"metadata\",\"value\":null},{\"name\":\"data\",\"value\":\"{\\\"kwh\\\":1.5}\"}]}}";

    /** One WebSocket library underneath. */
    private interface Wire {
        /** Sends a frame; returns when the library takes the next one. */
        void send(String frame) throws Exception;

        /** Sends a frame from the library's I/O thread, not waiting. */
        void answer(String frame);

        void abort();
    }

    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final CompletableFuture<String> handshake = new CompletableFuture<>();
    private final Wire wire;
    private long nextToken;

    /** The WebSocket libraries a bare gateway can run on; the first two are the client's transports'. */
    enum Library {
        JDK, TYRUS, JAVA_WEBSOCKET;

        /** @param transport a client transport's name: {@code jdk} or {@code tyrus} */
        static Library of(String transport) {
            return valueOf(transport.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Connects with the JDK's WebSocket, handshakes and puts the device the events are for. */
    BareGateway(URI uri, String user, String password) throws Exception {
        this(uri, user, password, Library.JDK);
    }

    /** The same over Java-WebSocket (org.java-websocket), a library with a shorter cold path than the JDK's. */
    static BareGateway overJavaWebSocket(URI uri, String user, String password) throws Exception {
        return new BareGateway(uri, user, password, Library.JAVA_WEBSOCKET);
    }

    /** The same over the library of a client transport ({@code jdk} or {@code tyrus}): the floor of that transport. */
    static BareGateway over(String transport, URI uri, String user, String password) throws Exception {
        return new BareGateway(uri, user, password, Library.of(transport));
    }

    BareGateway(URI uri, String user, String password, Library library) throws Exception {
        wire = switch (library) {
            case JDK -> jdk(uri);
            case TYRUS -> tyrus(uri);
            case JAVA_WEBSOCKET -> javaWebSocket(uri);
        };
        wire.send("{\"user\":\"" + user + "\",\"pw\":\"" + password + "\",\"gid\":\"\",\"token\":\"credentials\"}");
        String reply = handshake.get(5, TimeUnit.SECONDS);
        if (!reply.startsWith("{\"status\":200")) {
            throw new IllegalStateException("handshake failed: " + reply);
        }
        window.acquire();
        wire.send("{\"handler\":\"put\",\"token\":\"put-1\",\"payload\":{\"uri\":\"meter-1\",\"name\":\"Meter\","
                + "\"iot_type\":\"iot#meter\",\"tags\":[]}}");
        awaitAllAnswers();
        if (acknowledged.getAndSet(0) != 1) {
            throw new IllegalStateException("the put of the benchmark's device was refused");
        }
    }

    private Wire jdk(URI uri) throws Exception {
        // as the client's transport does for ws://: no JSSE set-up (120-200 ms of a fresh JVM) for a plain connection
        HttpClient http = HttpClient.newBuilder().sslContext(HttpClients.plainOnlyTlsContext()).build();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String frame = partial.toString();
                            partial.setLength(0);
                            onFrame(frame);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        onClosed(statusCode, reason);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        return new Wire() {
            @Override
            public void send(String frame) {
                // the JDK WebSocket allows one outstanding send: join() before the next; answers flow meanwhile
                socket.sendText(frame, true).join();
            }

            @Override
            public void answer(String frame) {
                socket.sendText(frame, true);
            }

            @Override
            public void abort() {
                socket.abort();
            }
        };
    }

    /**
     * Tyrus with its Grizzly client container, its own container, the library's defaults but one: no idle-timeout
     * task per message, as the client's transport sets it (with it, the loop reached about half the JDK client's
     * rate). With the transport's shared container and thread pools as well it measured the same.
     */
    private Wire tyrus(URI uri) throws Exception {
        ClientManager manager = ClientManager.createClient(GrizzlyClientContainer.class.getName());
        manager.setDefaultMaxSessionIdleTimeout(-1);
        Session session = manager.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig config) {
                s.addMessageHandler(String.class, BareGateway.this::onFrame);
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                onClosed(reason.getCloseCode().getCode(), reason.getReasonPhrase());
            }
        }, ClientEndpointConfig.Builder.create().build(), uri);
        return new Wire() {
            @Override
            public void send(String frame) {
                session.getAsyncRemote().sendText(frame); // queued in call order, written by Grizzly
            }

            @Override
            public void answer(String frame) {
                session.getAsyncRemote().sendText(frame);
            }

            @Override
            public void abort() {
                try {
                    session.close();
                } catch (java.io.IOException e) {
                    // going anyway
                }
                manager.shutdown();
            }
        };
    }

    private Wire javaWebSocket(URI uri) throws Exception {
        WebSocketClient socket = new WebSocketClient(uri) {
            @Override
            public void onOpen(ServerHandshake handshakedata) {
                // connectBlocking returns
            }

            @Override
            public void onMessage(String frame) {
                onFrame(frame);
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
                onClosed(code, reason);
            }

            @Override
            public void onError(Exception e) {
                handshake.completeExceptionally(e);
            }
        };
        socket.setConnectionLostTimeout(0);
        socket.setTcpNoDelay(true);
        socket.setDaemon(true);
        if (!socket.connectBlocking(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("cannot connect to " + uri);
        }
        return new Wire() {
            @Override
            public void send(String frame) {
                socket.send(frame); // queued for the library's write thread
            }

            @Override
            public void answer(String frame) {
                socket.send(frame);
            }

            @Override
            public void abort() {
                socket.closeConnection(1006, "benchmark over");
            }
        };
    }

    private void onFrame(String frame) {
        if (!handshake.isDone()) {
            handshake.complete(frame);
        } else if (frame.contains("\"handler\":\"command\"")) {
            answer(frame);
        } else if (frame.contains("\"token\":\"answer-")) {
            // the platform took an answer to a command
        } else {
            (frame.startsWith("{\"status\":200") ? acknowledged : refused).incrementAndGet();
            window.release();
        }
    }

    private void onClosed(int code, String reason) {
        handshake.completeExceptionally(new IllegalStateException("closed: " + code + " " + reason));
    }

    private long nextAnswer;

    /** Answers a command at once on the I/O thread: its payload sent back as is (protocol parts unchanged). */
    private void answer(String command) {
        String payload = command.substring(command.indexOf("\"payload\":") + 10, command.lastIndexOf('}'));
        wire.answer("{\"handler\":\"response\",\"token\":\"answer-" + (nextAnswer++) + "\",\"payload\":" + payload + "}");
    }

    /** One event, its answer waited for: the bare floor of the client's blocking {@code event()}. */
    void sendEvent() throws Exception {
        sendEvents(1);
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
            wire.send(frame.apply(i));
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
        wire.abort();
    }
}
