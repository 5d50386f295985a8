package org.sepl.connector.impl.wire;

/**
 * What the client stores in an outbox as a message's payload: the complete protocol frame, with a placeholder for
 * the request token (a new token is used at every send, so that a late answer to an earlier send is not mistaken for
 * the answer to this one). Inserting the token is one search near the start of the frame and one copy: no JSON is
 * parsed or written again at send time, and a durable outbox's frames are sendable after a restart.
 */
public final class FrameTemplate {

    /** The token the template is encoded with; JSON escaping keeps user data from containing it unescaped. */
    public static final String PLACEHOLDER = "#";
    private static final String FIELD = "\"token\":\"" + PLACEHOLDER + "\"";

    private FrameTemplate() {
    }

    /**
     * @param template a frame encoded with {@link #PLACEHOLDER} as its token
     * @return the frame with {@code token} instead
     * @throws IllegalArgumentException if the template has no placeholder token (not written by this client)
     */
    public static String withToken(String template, String token) {
        int at = template.indexOf(FIELD);
        if (at < 0) {
            throw new IllegalArgumentException("the stored message is not a frame template of this client");
        }
        int valueStart = at + FIELD.length() - 1 - PLACEHOLDER.length();
        return new StringBuilder(template.length() + token.length()).append(template, 0, valueStart).append(token)
                .append(template, valueStart + PLACEHOLDER.length(), template.length()).toString();
    }
}
