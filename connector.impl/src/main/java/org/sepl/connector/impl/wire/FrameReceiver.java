package org.sepl.connector.impl.wire;

import static java.lang.System.Logger.Level.DEBUG;

import org.sepl.connector.impl.command.CommandDispatcher;
import org.sepl.connector.impl.logging.FrameText;
import org.sepl.connector.impl.logging.RateLimitedLog;
import org.sepl.connector.impl.request.RequestTracker;
import org.sepl.connector.impl.wire.WireCodec.CommandFrame;
import org.sepl.connector.impl.wire.WireCodec.Incoming;
import org.sepl.connector.impl.wire.WireCodec.MalformedFrameException;
import org.sepl.connector.impl.wire.WireCodec.ResponseFrame;

/**
 * Frames from the platform, on the transport's I/O thread (Paho's {@code CommsReceiver}): decodes them, hands
 * answers to the {@link RequestTracker} and commands to the {@link CommandDispatcher}. Never blocks, never calls
 * user code. A frame it cannot use is logged (quoted short, escaped, at most one line per interval) and survived.
 */
public final class FrameReceiver {

    private static final System.Logger LOG = System.getLogger(FrameReceiver.class.getName());

    private final WireCodec codec;
    private final RequestTracker tracker;
    private final CommandDispatcher commands;
    private final RateLimitedLog malformed = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog unmatched = new RateLimitedLog(LOG, 10_000);

    public FrameReceiver(WireCodec codec, RequestTracker tracker, CommandDispatcher commands) {
        this.codec = codec;
        this.tracker = tracker;
        this.commands = commands;
    }

    public void onFrame(String text) {
        tracker.received();
        Incoming incoming;
        try {
            incoming = codec.decode(text);
        } catch (MalformedFrameException e) {
            malformed.warn("Ignoring a malformed frame from the platform (" + FrameText.quote(e.getMessage()) + "): "
                    + FrameText.quote(text));
            return;
        }
        if (incoming instanceof ResponseFrame r) {
            if (!tracker.answer(r)) {
                if (r.status() != 200) {
                    unmatched.warn("The platform reported an error for no pending request (token " + FrameText.quote(r.token())
                            + "): " + r.status() + " " + FrameText.quote(String.valueOf(r.payload())));
                } else {
                    LOG.log(DEBUG, "Answer to an expired or unknown request {0} ignored", FrameText.quote(r.token()));
                }
            }
        } else if (incoming instanceof CommandFrame c) {
            commands.dispatch(c.command());
        }
    }
}
