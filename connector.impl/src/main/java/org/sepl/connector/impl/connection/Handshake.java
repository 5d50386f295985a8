package org.sepl.connector.impl.connection;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sepl.connector.api.ConnectorException;
import org.sepl.connector.api.ConnectorException.Reason;
import org.sepl.connector.api.Response;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.impl.logging.FrameText;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.Protocol;
import org.sepl.connector.impl.wire.WireCodec;

/**
 * Logs in on a new link (docs/PROTOCOL.md §2): sends the credentials with the stored gateway id, waits for the
 * answer, persists a new gateway id, and returns what the platform said.
 */
public final class Handshake {

    private static final System.Logger LOG = System.getLogger(Handshake.class.getName());

    /** What the platform answered: this gateway's id and the hash of its last commit ("" if none). */
    public record Result(String gatewayId, String platformHash) {
    }

    /** The handshake did not succeed; the message says why, for humans. */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    private final WireCodec codec;
    private final RequestTracker tracker;
    private final GatewayIdStore gatewayIds;
    private final String user;
    private final String password;
    private final Duration timeout;

    public Handshake(WireCodec codec, RequestTracker tracker, GatewayIdStore gatewayIds, String user, String password,
            Duration timeout) {
        this.codec = codec;
        this.tracker = tracker;
        this.gatewayIds = gatewayIds;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
    }

    public Result perform(Link link) throws Failed, InterruptedException {
        String storedId = gatewayIds.load();
        RequestTracker.Channel channel = link.channel();
        var answerStage = tracker.expect(channel, Protocol.CREDENTIALS_TOKEN, "handshake", timeout);
        channel.connection().send(codec.credentials(user, password, storedId), error -> channel.close(Reason.CONNECTION_LOST,
                "could not send the credentials: " + error));
        Response answer;
        try {
            answer = answerStage.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            ConnectorException ce = e.getCause() instanceof ConnectorException c ? c : null;
            throw new Failed(ce != null && ce.reason() == Reason.CONNECTION_LOST
                    ? "the platform closed the connection without answering (wrong user or password?)"
                    : String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            throw new Failed("no answer within " + timeout);
        }
        if (!answer.isSuccess() || !(answer.payload() instanceof Map<?, ?> payload) || !(payload.get("gid") instanceof String gid)
                || gid.isEmpty()) {
            throw new Failed("unexpected handshake answer " + FrameText.quote(String.valueOf(answer)));
        }
        Object hash = payload.get("hash");
        if (!gid.equals(storedId)) {
            try {
                gatewayIds.save(gid);
            } catch (UncheckedIOException e) {
                LOG.log(System.Logger.Level.ERROR,
                        "Cannot persist the gateway id; the platform will create a new gateway at the next connect", e);
            }
            LOG.log(System.Logger.Level.INFO, "The platform assigned gateway id {0}", gid);
        }
        link.handshaken = true;
        return new Result(gid, hash instanceof String h ? h : "");
    }
}
