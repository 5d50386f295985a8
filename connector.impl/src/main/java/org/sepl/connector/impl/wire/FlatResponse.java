package org.sepl.connector.impl.wire;

import org.sepl.connector.impl.wire.WireCodec.ResponseFrame;

/**
 * The decoder's fast path for the frame the client gets most, a platform answer such as
 * {@code {"status":200,"handler":"response","token":"…","content_type":"string","payload":"ok"}}: one pass over the
 * characters, no reader, no tokens. It takes only a flat object of the known fields whose values are integers (for
 * {@code status}) or strings without escapes, in any order and with JSON white space; for anything else (a nested
 * payload, an escape, a command, an unknown field, a malformed frame) it returns {@code null} and the general
 * streaming decoder decides, so that both always agree.
 */
final class FlatResponse {

    private final String s;
    private int at;

    private FlatResponse(String s) {
        this.s = s;
    }

    /** @return the answer, or null when the general decoder must read the frame */
    static ResponseFrame parse(String frame) {
        return new FlatResponse(frame).read();
    }

    private ResponseFrame read() {
        String token = "";
        String contentType = "";
        Object payload = null;
        int status = -1;
        boolean haveStatus = false;
        boolean response = false;
        if (!skipSpaceThen('{')) {
            return null;
        }
        do {
            skipSpace();
            String name = string();
            if (name == null || !skipSpaceThen(':')) {
                return null;
            }
            skipSpace();
            switch (name) {
                case "status" -> {
                    status = integer();
                    if (status < 0) {
                        return null;
                    }
                    haveStatus = true;
                }
                case "handler" -> {
                    String h = string();
                    if (!Protocol.RESPONSE.equals(h)) {
                        return null; // a command, or an unusual answer: the general decoder
                    }
                    response = true;
                }
                case "token" -> token = string();
                case "content_type" -> contentType = string();
                case "payload" -> payload = string();
                default -> {
                    return null;
                }
            }
            if (token == null || contentType == null || (name.equals("payload") && payload == null)) {
                return null;
            }
        } while (skipSpaceThen(','));
        if (!skipSpaceThen('}')) {
            return null;
        }
        skipSpace();
        if (at != s.length() || !haveStatus || !response) {
            return null;
        }
        return new ResponseFrame(token, status, contentType, payload);
    }

    /** A string without escapes or control characters, or null (position then undefined). */
    private String string() {
        if (at >= s.length() || s.charAt(at) != '"') {
            return null;
        }
        int start = ++at;
        for (; at < s.length(); at++) {
            char c = s.charAt(at);
            if (c == '"') {
                return s.substring(start, at++);
            }
            if (c == '\\' || c < 0x20) {
                return null;
            }
        }
        return null;
    }

    /** A non-negative integer of at most 9 digits not followed by a fraction or exponent, or -1. */
    private int integer() {
        int start = at;
        int value = 0;
        while (at < s.length() && at - start < 10) {
            char c = s.charAt(at);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            at++;
        }
        int digits = at - start;
        if (digits == 0 || digits > 9 || (digits > 1 && s.charAt(start) == '0')) {
            return -1;
        }
        if (at < s.length()) {
            char c = s.charAt(at);
            if (c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9')) {
                return -1;
            }
        }
        return value;
    }

    private void skipSpace() {
        while (at < s.length()) {
            char c = s.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private boolean skipSpaceThen(char expected) {
        skipSpace();
        if (at < s.length() && s.charAt(at) == expected) {
            at++;
            return true;
        }
        return false;
    }
}
