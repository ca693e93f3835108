package io.timesync.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the small files TimeSync keeps itself (the backup journal, NTS sessions, the memo, the
 * telemetry's lines), so that it needs no JSON library: objects as {@code Map<String, Object>} (in
 * document order), arrays as {@code List<Object>}, strings, whole numbers as {@code Long}, numbers
 * with a fraction or an exponent as {@code Double}, {@code Boolean} and null. It writes what
 * Jackson writes for the same values, compact or indented, so files written by either read the same.
 */
public final class SmallJson {

    // Deeper than any file of ours: a hostile file cannot exhaust the stack.
    private static final int MAX_DEPTH = 32;

    private final String text;
    // Where the parser is in the document, for errors: keys and element indices, outermost first.
    private final List<Object> path = new ArrayList<>();
    private int at;
    private int depth;

    private SmallJson(String text) {
        this.text = text;
    }

    /**
     * Reads one JSON value that is the whole of {@code text}.
     *
     * @throws IllegalArgumentException saying where ({@code line L, column C}) and what is wrong
     */
    public static Object parse(String text) {
        SmallJson parser = new SmallJson(text);
        Object value = parser.value();
        parser.space();
        if (parser.at < text.length()) {
            throw parser.error("more after the end of the document");
        }
        return value;
    }

    /**
     * Reads a JSON object that is the whole of {@code text}.
     *
     * @throws IllegalArgumentException saying where and what is wrong, or that it is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected an object");
        }
        return (Map<String, Object>) value;
    }

    /**
     * {@code value} (a map with string keys, a list, a string, a number, a boolean or null) as compact JSON.
     *
     * @throws IllegalArgumentException for any other kind of value
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /**
     * {@code value} as {@link #write} takes it, indented as Jackson's default pretty printer does:
     * an entry per line, two spaces a level, {@code "key" : value}, arrays on the line they start.
     *
     * @throws IllegalArgumentException for a value {@link #write} refuses
     */
    public static String writeIndented(Object value) {
        StringBuilder out = new StringBuilder();
        indented(value, 0, out);
        return out.toString();
    }

    private static void indented(Object value, int level, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{ }");
                return;
            }
            out.append('{');
            String comma = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(comma).append('\n').append("  ".repeat(level + 1));
                string((String) e.getKey(), out);
                out.append(" : ");
                indented(e.getValue(), level + 1, out);
                comma = ",";
            }
            out.append('\n').append("  ".repeat(level)).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[ ]");
                return;
            }
            out.append("[ ");
            String comma = "";
            for (Object element : list) {
                out.append(comma);
                // Arrays stay on one line: only objects step the indentation.
                indented(element, level, out);
                comma = ", ";
            }
            out.append(" ]");
        } else {
            scalar(value, out);
        }
    }

    private static void scalar(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("cannot write " + d + " as a JSON number");
            }
            out.append(d);
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            String comma = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(comma);
                string((String) e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
                comma = ",";
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            String comma = "";
            for (Object element : list) {
                out.append(comma);
                write(element, out);
                comma = ",";
            }
            out.append(']');
        } else {
            scalar(value, out);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        // Most strings need no escape: appended whole rather than a character at a time.
        int n = s.length();
        int plain = 0;
        while (plain < n) {
            char c = s.charAt(plain);
            if (c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            plain++;
        }
        out.append(s, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private Object value() {
        space();
        if (at >= text.length()) {
            throw error("unexpected end of the document");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + Printable.of(String.valueOf(c)) + "'");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        at++;
        Map<String, Object> fields = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            at++;
            depth--;
            return fields;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw error("expected a key in quotes");
            }
            String key = string();
            space();
            expect(':');
            path.add(key);
            if (fields.containsKey(key)) {
                throw error("duplicate key '" + Printable.of(key) + "'");
            }
            fields.put(key, value());
            space();
            if (peek() == ',') {
                at++;
                path.remove(path.size() - 1);
            } else {
                expect('}', "expected ',' or '}'");
                path.remove(path.size() - 1);
                depth--;
                return fields;
            }
        }
    }

    private List<Object> array() {
        enter();
        at++;
        List<Object> elements = new ArrayList<>();
        space();
        if (peek() == ']') {
            at++;
            depth--;
            return elements;
        }
        while (true) {
            path.add(elements.size());
            elements.add(value());
            space();
            if (peek() == ',') {
                at++;
                path.remove(path.size() - 1);
            } else {
                expect(']', "expected ',' or ']'");
                path.remove(path.size() - 1);
                depth--;
                return elements;
            }
        }
    }

    private String string() {
        at++;
        StringBuilder s = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("a string that does not end");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return s.toString();
            }
            if (c < 0x20) {
                throw error("a control character in a string");
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("a string that does not end");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("a \\u escape without four hex digits");
                    }
                    try {
                        s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("a \\u escape without four hex digits");
                    }
                    at += 4;
                }
                default -> throw error("an unknown escape \\" + Printable.of(String.valueOf(e)));
            }
        }
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, as JSON has it: no leading zeros, no bare dots.
    private Object number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (!digits()) {
            throw error("a number without digits");
        }
        boolean whole = true;
        if (peek() == '.') {
            at++;
            whole = false;
            if (!digits()) {
                throw error("a number without digits after its '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            whole = false;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!digits()) {
                throw error("a number without digits in its exponent");
            }
        }
        if (peek() >= '0' && peek() <= '9') {
            throw error("a number with a leading zero");
        }
        String number = text.substring(start, at);
        if (!whole) {
            double value = Double.parseDouble(number);
            if (Double.isInfinite(value)) {
                at = start;
                throw error("a number out of range");
            }
            return value;
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            at = start;
            throw error("not a whole number in range");
        }
    }

    private boolean digits() {
        int start = at;
        while (peek() >= '0' && peek() <= '9') {
            at++;
        }
        return at > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("unexpected character '" + Printable.of(String.valueOf(text.charAt(at))) + "'");
        }
        at += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
    }

    private void expect(char c) {
        expect(c, "expected '" + c + "'");
    }

    private void expect(char c, String what) {
        if (peek() != c) {
            throw error(at >= text.length() ? "unexpected end of the document" : what);
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    private void space() {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\n' || text.charAt(at) == '\r'
                || text.charAt(at) == '\t')) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(at, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("line " + line + ", column " + column + ": " + what + where());
    }

    private String where() {
        if (path.isEmpty()) {
            return "";
        }
        StringBuilder where = new StringBuilder(" (at ");
        for (Object step : path) {
            if (step instanceof Integer index) {
                where.append('[').append(index).append(']');
            } else {
                where.append(where.length() == 5 ? "" : ".").append(Printable.of((String) step));
            }
        }
        return where.append(')').toString();
    }
}
