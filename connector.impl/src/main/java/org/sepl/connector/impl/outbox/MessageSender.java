package org.sepl.connector.impl.outbox;

import java.util.concurrent.CompletableFuture;

import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxMessage;
import org.sepl.connector.api.outbox.OutboxStatus;

/**
 * How events and command answers leave the client: through an outbox ({@link OutboxSender}), or, with the outbox
 * disabled, straight onto the wire while ready ({@link DirectSender}). The client's one send path.
 */
public interface MessageSender extends AutoCloseable {

    /** For a caller: storage and delivery reported separately; both stages complete on the callback lane. */
    Delivery send(OutboxMessage message);

    /**
     * For the client's own waits (a blocking {@code event()}, a command handler's answer): the platform's answer, or
     * why there is none ({@code REFUSED}, {@code NOT_CONNECTED}, {@code DROPPED}, {@code EXPIRED}, {@code CLOSED}).
     * The stage is never handed to a caller, so it may complete on any client thread.
     */
    CompletableFuture<Response> sendForAnswer(OutboxMessage message);

    /**
     * {@link #sendForAnswer} from a thread that waits for the answer anyway (a blocking {@code event()} or
     * {@code respond()}) or is the client's own (a command handler's answer): it may store and send the message itself
     * when nothing else is being sent, which saves the hand-over to the outbox lane on the interactive paths.
     */
    default CompletableFuture<Response> sendAwaited(OutboxMessage message) {
        return sendForAnswer(message);
    }

    /** The client became ready on a new link (after its synchronisation). */
    void connected();

    /** Called by the client's periodic sweep: picks up what waits for a free request slot. */
    void sweep();

    /** @return the outbox's status, or null without one */
    OutboxStatus status();

    /**
     * @param outbox the outbox's status just read ({@link #status()}), whose depth is the ledger's {@code pending}; null
     *               without an outbox
     * @return the loss ledger: where every message handed to the client went
     */
    DeliveryLedger ledger(OutboxStatus outbox);

    /** @return the outbox's ingest and drain rates and time until full; null without an outbox */
    OutboxFlow flow();

    /** Called about once a second by the client's timer: samples the flow and checks the ledger. Must not block. */
    default void sample() {
    }

    /** Stops sending; callers still waiting get {@code CLOSED} (a durable outbox keeps their messages). */
    @Override
    void close();

}
