package org.sepl.connector.emulator;

import java.util.List;

import com.google.gson.JsonElement;

/**
 * What the endpoint must do after a frame: send these frames (after {@code delayMillis} if not 0), then maybe drop,
 * close or silence the connection. The factories keep the session's count of consecutive errors (more than
 * {@link #MAX_CONSECUTIVE_ERRORS} close it).
 */
record Outcome(List<String> replies, Action action, long delayMillis) {

    static final int MAX_CONSECUTIVE_ERRORS = 5;

    enum Action { NONE, DROP, CLOSE, SILENCE }

    static final Outcome NOTHING = new Outcome(List.of(), Action.NONE);
    static final Outcome DROP = new Outcome(List.of(), Action.DROP);
    static final Outcome SILENCE = new Outcome(List.of(), Action.SILENCE);

    Outcome(List<String> replies, Action action) {
        this(replies, action, 0);
    }

    /** The same without its replies (an answer lost). */
    Outcome unanswered() {
        return new Outcome(List.of(), action);
    }

    /** The same with its replies sent after {@code millis}. */
    Outcome delayed(long millis) {
        return new Outcome(replies, action, millis);
    }

    /** 200 "ok"; resets the error count. */
    static Outcome ok(WireCodec codec, Session s, String token) {
        s.consecutiveErrors = 0;
        return new Outcome(List.of(codec.ok(token)), Action.NONE);
    }

    static Outcome answer(WireCodec codec, Session s, int status, String token, JsonElement payload) {
        if (status == 200) {
            s.consecutiveErrors = 0;
            return new Outcome(List.of(codec.reply(status, token, payload)), Action.NONE);
        }
        return errors(s, List.of(codec.reply(status, token, payload)));
    }

    /** Error replies: each counts; one too many closes the session (1008). */
    static Outcome errors(Session s, List<String> replies) {
        s.consecutiveErrors += replies.size();
        boolean tooMany = s.consecutiveErrors > MAX_CONSECUTIVE_ERRORS;
        return new Outcome(replies, tooMany ? Action.CLOSE : Action.NONE);
    }
}
