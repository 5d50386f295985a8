package org.sepl.connector.impl.command;

import static java.lang.System.Logger.Level.WARNING;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.impl.logging.FrameText;
import org.sepl.connector.impl.outbox.MessageSender;
import org.sepl.connector.impl.wire.WireCodec;

/**
 * Sends handler results and the client's error answers (stale, unclaimed, failed) back as responses, through the
 * client's one send path (so they are stored, and sent again after a link loss); a failure to deliver one is logged.
 */
public final class CommandAnswers implements CommandDispatcher.Answers {

    private static final System.Logger LOG = System.getLogger(CommandAnswers.class.getName());

    private final WireCodec codec;
    private final CommandReplies replies;
    private final MessageSender sender;

    public CommandAnswers(WireCodec codec, CommandReplies replies, MessageSender sender) {
        this.codec = codec;
        this.replies = replies;
        this.sender = sender;
    }

    @Override
    public boolean repeated(Command command) {
        return replies.repeated(command);
    }

    @Override
    public void result(Command command, CommandResult result) {
        send(command, result.data(), result.metadata());
    }

    @Override
    public void error(Command command, String why) {
        send(command, null, codec.errorDocument(why));
    }

    private void send(Command command, String data, String metadata) {
        // on a command thread, the client's own: it may store and send the answer itself (MessageSender.sendAwaited)
        sender.sendAwaited(replies.answer(command, data, metadata)).whenComplete((reply, error) -> {
            if (error != null) {
                LOG.log(WARNING, "Answer to {0} not delivered: {1}", command, error.getMessage());
            } else if (!reply.isSuccess()) {
                LOG.log(WARNING, "The platform refused the answer to {0}: {1} {2}", command, reply.status(),
                        FrameText.quote(String.valueOf(reply.payload())));
            }
        });
    }
}
