package org.sepl.connector.impl.outbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.DeliveryLedger.Refusal;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.Outbox;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.impl.executor.UserCallbacks;
import org.sepl.connector.impl.ledger.LossLedger;
import org.sepl.connector.impl.ledger.OutboxUse;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.FrameTemplate;
import org.sepl.connector.impl.request.RequestTracker.Channel;

/**
 * The outbox disabled ({@code outboxEnabled=false}): a message is sent only while the client is ready, else it
 * fails at once with {@code NOT_CONNECTED}; beyond the window it fails at once with {@code WINDOW_FULL}; one in
 * flight when the link drops fails with {@code CONNECTION_LOST}. Nothing is stored or sent again. "Stored" means
 * sent. The loss ledger counts the wire as its one outbox: sent, then delivered, rejected (an error answer) or
 * unanswered (link lost, timeout); pending is what is in flight.
 */
public final class DirectSender implements MessageSender {

    private final RequestTracker tracker;
    private final Supplier<Channel> readyChannel;
    private final BooleanSupplier clientClosed;
    private final UserCallbacks callers;
    private final Duration requestTimeout;
    private final LossLedger ledger = new LossLedger();
    private final OutboxUse wire = ledger.begin(null);

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
        CompletableFuture<Response> sent = sendNow(message, true);
        if (sent.isDone() && callers.behind()) {
            return new Delivery(sent.thenApply(r -> (Void) null), sent); // refused: not queued behind the blocked lane
        }
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
        return sendNow(message, true);
    }

    @Override
    public CompletableFuture<Response> sendAwaited(OutboxMessage message) {
        return sendNow(message, false);
    }

    /** @param forCaller whether a caller's stage follows the outcome (refused while the callback lane is blocked) */
    private CompletableFuture<Response> sendNow(OutboxMessage message, boolean forCaller) {
        ledger.offered();
        String what = (message.kind() == OutboxMessage.Kind.EVENT ? "event " : "answer ") + message.serviceId()
                + " of device " + message.deviceId() + " not sent";
        if (forCaller && callers.behind()) {
            return refused(Refusal.CALLBACKS_BLOCKED, new ConnectorException(Reason.REFUSED, what + ": "
                    + callers.behindText()));
        }
        Channel channel = readyChannel.get();
        if (channel == null) {
            return clientClosed.getAsBoolean()
                    ? refused(Refusal.CLOSED, new ConnectorException(Reason.CLOSED, "client is closed: " + what))
                    : refused(Refusal.NOT_CONNECTED, new ConnectorException(Reason.NOT_CONNECTED,
                            "not connected to the platform: " + what + " (the outbox is disabled)"));
        }
        String handler = message.kind() == OutboxMessage.Kind.EVENT ? "event" : "response";
        CompletableFuture<Response> result = tracker.trySend(channel, handler,
                token -> FrameTemplate.withToken(message.payload(), token), requestTimeout);
        if (result.isCompletedExceptionally()) { // only a full window fails at once
            ledger.refused(Refusal.WINDOW_FULL);
            return result;
        }
        wire.stored();
        result.whenComplete((response, error) -> {
            if (error == null) {
                wire.settled(response.isSuccess() ? Outbox.Settlement.DELIVERED : Outbox.Settlement.REJECTED);
            } else if (error instanceof ConnectorException) {
                wire.unanswered(); // timeout, link lost, closed: the platform may or may not have it
            } else {
                wire.settled(Outbox.Settlement.REJECTED); // could not be encoded: never sendable
            }
        });
        return result;
    }

    private CompletableFuture<Response> refused(Refusal why, ConnectorException e) {
        ledger.refused(why);
        return CompletableFuture.failedFuture(e);
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
    public DeliveryLedger ledger(OutboxStatus outbox) {
        return ledger.snapshot(ledger.expectedPending());
    }

    @Override
    public OutboxFlow flow() {
        return null;
    }

    @Override
    public void close() {
    }
}
