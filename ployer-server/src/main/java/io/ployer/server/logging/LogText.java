package io.ployer.server.logging;

/**
 * Makes text from outside (a request path, a header, a webhook's branch name or commit message)
 * safe to write into a log: control characters (C0, DEL, C1) and the Unicode line and paragraph
 * separators are written as escapes ({@code \r}, {@code \n}, {@code \t}, {@code \u0085} …), so a
 * value can never end the line it is on and start a forged one, in the plain or the JSON format.
 */
public final class LogText {
    private LogText() {
    }

    /** {@code text} with every control character escaped; {@code null} stays {@code null}. */
    public static String escape(CharSequence text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        int first = 0;
        while (first < length && !isControl(text.charAt(first))) {
            first++;
        }
        if (first == length) {
            return text.toString();
        }
        StringBuilder escaped = new StringBuilder(length + 16).append(text, 0, first);
        for (int i = first; i < length; i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                escaped.append(c);
            } else if (c == '\r') {
                escaped.append("\\r");
            } else if (c == '\n') {
                escaped.append("\\n");
            } else if (c == '\t') {
                escaped.append("\\t");
            } else {
                escaped.append("\\u").append(Character.forDigit(c >> 12 & 0xf, 16)).append(Character.forDigit(c >> 8 & 0xf, 16))
                        .append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return escaped.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
