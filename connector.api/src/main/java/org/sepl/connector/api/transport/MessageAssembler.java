package org.sepl.connector.api.transport;

/**
 * Joins the text fragments of one connection's incoming messages and enforces
 * {@link ConnectionOptions#maxMessageBytes()} in UTF-8 bytes, for transport implementations: the limit's rule and
 * its close reason written once. Not thread-safe: a connection's frames arrive one at a time.
 *
 * <pre>{@code
 * String message = assembler.add(fragment, last);
 * if (assembler.overLimit()) { close(MessageAssembler.TOO_BIG, assembler.overLimitReason()); return; }
 * if (message != null) listener.onText(message);
 * }</pre>
 * Bytes are counted only once a message could be over the limit (a character is at most 3 bytes), so the usual
 * small message is never counted; a whole message in one fragment is passed on without a copy.
 */
public final class MessageAssembler {

    /** The close code of a message over the limit (RFC 6455: "message too big"). */
    public static final int TOO_BIG = 1009;

    private final int maxMessageBytes;
    private final StringBuilder partial = new StringBuilder();
    /** UTF-8 bytes of {@link #partial}, or -1 while not counted (the message cannot be over the limit yet). */
    private long partialBytes = -1;
    private boolean overLimit;

    /** @param maxMessageBytes the limit of a message, in UTF-8 bytes */
    public MessageAssembler(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1, got " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Adds the next fragment of the current message.
     *
     * @param last whether it ends the message
     * @return the whole message if {@code last} and within the limit, else null (more to come, or over the limit:
     *         see {@link #overLimit()}; what was gathered is then dropped)
     */
    public String add(CharSequence fragment, boolean last) {
        if (overLimit) {
            return null;
        }
        if (3L * (partial.length() + fragment.length()) > maxMessageBytes) {
            if (partialBytes < 0) {
                partialBytes = utf8Length(partial);
            }
            partialBytes += utf8Length(fragment);
            if (partialBytes > maxMessageBytes) {
                overLimit = true;
                partial.setLength(0);
                partial.trimToSize();
                return null;
            }
        }
        if (last && partial.length() == 0) {
            partialBytes = -1;
            return fragment.toString();
        }
        partial.append(fragment);
        if (!last) {
            return null;
        }
        String message = partial.toString();
        partial.setLength(0);
        partialBytes = -1;
        return message;
    }

    /** @return whether a message went over the limit: the connection is to be closed with {@link #TOO_BIG} */
    public boolean overLimit() {
        return overLimit;
    }

    /** @return the close reason for a message over the limit, naming the limit */
    public String overLimitReason() {
        return "message larger than " + maxMessageBytes + " bytes";
    }

    /**
     * The length in UTF-8 of text decoded from the wire (where surrogates come in pairs: 4 bytes a pair), without
     * encoding it.
     */
    public static long utf8Length(CharSequence text) {
        long bytes = text.length();
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x800) {
                bytes += Character.isSurrogate(c) ? 1 : 2; // a pair is 2 chars and 4 bytes
            } else if (c >= 0x80) {
                bytes++;
            }
        }
        return bytes;
    }
}
