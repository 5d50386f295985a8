package org.sepl.connector.impl.logging;

/**
 * Text from the network made safe for a log line: at most {@value #MAX_CHARS} characters, control and line
 * separator characters escaped, so that a frame can neither forge log lines nor fill the disk.
 */
public final class FrameText {

    public static final int MAX_CHARS = 160;

    private FrameText() {
    }

    /** @return {@code text} quoted, escaped and cut to {@value #MAX_CHARS} characters (with its length when cut) */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), MAX_CHARS);
        StringBuilder out = new StringBuilder(n + 24).append('"');
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (text.length() > n) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
