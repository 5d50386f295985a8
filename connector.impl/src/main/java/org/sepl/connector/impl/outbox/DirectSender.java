package org.sepl.connector.impl.outbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.FrameTemplate;
import org.sepl.connector.impl.request.RequestTracker.Channel;

/**
 * The outbox disabled ({@code outboxEnabled=false}): a message is sent only while the client is ready, else it
 * fails at once with {@code NOT_CONNECTED}; beyond the window it fails at once with {@code WINDOW_FULL}; one in
 * flight when the link drops fails with {@code CONNECTION_LOST}. Nothing is stored or sent again. "Stored" means
 * sent.
 */
public final class DirectSender implements MessageSender {

    private final RequestTracker tracker;
    private final Supplier<Channel> readyChannel;
    private final BooleanSupplier clientClosed;
    private final UserCallbacks callers;
    private final Duration requestTimeout;

    public DirectSender(RequestTracker tracker, Supplier<Channel> readyChannel, BooleanSupplier clientClosed,
            UserCallbacks callers, Duration requestTimeout) {
        this.tracker = tracker;
        this.readyChannel = readyChannel;
        this.clientClosed = clientClosed;
        this.callers = callers;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Delivery send(OutboxMessage message) {
        CompletableFuture<Response> sent = sendForAnswer(message);
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (sent.isCompletedExceptionally()) {
            sent.whenComplete((r, e) -> callers.fail(stored, e));
        } else {
            callers.complete(stored, null);
        }
        return new Delivery(stored, callers.relay(sent));
    }

    @Override
    public CompletableFuture<Response> sendForAnswer(OutboxMessage message) {
        String what = (message.kind() == OutboxMessage.Kind.EVENT ? "event " : "answer ") + message.serviceId()
                + " of device " + message.deviceId() + " not sent";
        Channel channel = readyChannel.get();
        if (channel == null) {
            return CompletableFuture.failedFuture(clientClosed.getAsBoolean()
                    ? new ConnectorException(Reason.CLOSED, "client is closed: " + what)
                    : new ConnectorException(Reason.NOT_CONNECTED, "not connected to the platform: " + what
                            + " (the outbox is disabled)"));
        }
        String handler = message.kind() == OutboxMessage.Kind.EVENT ? "event" : "response";
        return tracker.trySend(channel, handler, token -> FrameTemplate.withToken(message.payload(), token),
                requestTimeout);
    }

    @Override
    public void connected() {
    }

    @Override
    public void sweep() {
    }

    @Override
    public OutboxStatus status() {
        return null;
    }

    @Override
    public void close() {
    }
}
