package io.timesync.text;

import java.net.URI;

/**
 * Makes text from outside (a certificate's name, a server's reply, a file's line) safe to put on a
 * terminal or in a log line: every control character is written as an escape ({@code \n}, {@code \r},
 * {@code \t}, {@code \x1b}; beyond ASCII a backslash, {@code u} and four hex digits, as for U+2028), so
 * such text can neither move the cursor, recolour or clear a terminal, nor end a log line and forge
 * the next one. Printable characters, including
 * backslashes and non-ASCII letters, are kept as they are, so paths and names stay readable.
 * Escaping twice changes nothing. Depends on nothing.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} with its control characters escaped; {@code "null"} for null, as string concatenation shows it. */
    public static String of(Object text) {
        String s = String.valueOf(text);
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            // Printable ASCII, nearly all a log line holds, without a call per character.
            if ((c < 0x20 || c >= 0x7F) && control(c)) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!control(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // Beyond ASCII the JSON form, so an escape inside a JSON string still means that character.
                default -> out.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /**
     * Whether {@code c} must not reach a terminal or a log line as it is: C0 and C1 controls, DEL,
     * the Unicode line and paragraph separators, and the bidirectional overrides and isolates that
     * make text display in another order than it is read.
     */
    public static boolean control(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * A URL as it may be logged: its scheme, host and port only. A webhook's path, query and user
     * information often carry its secret token, so they are never shown.
     */
    public static String origin(URI url) {
        if (url == null) {
            return "null";
        }
        String host = url.getHost();
        if (url.getScheme() == null || host == null) {
            return "(a URL)";
        }
        return of(url.getScheme() + "://" + host + (url.getPort() >= 0 ? ":" + url.getPort() : ""));
    }
}
