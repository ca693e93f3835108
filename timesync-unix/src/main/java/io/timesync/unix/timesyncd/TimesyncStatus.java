package io.timesync.unix.timesyncd;

import io.timesync.ntp.Leap;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code timedatectl timesync-status}: systemd-timesyncd's last exchange with its
 * server. Times are systemd time spans ({@code -1.087495s}, {@code 40.580ms}, {@code 34min 8s},
 * {@code 1us}); the offset is server − local, as NTP computes it.
 *
 * @param values every {@code Name: value} line, in order
 */
public record TimesyncStatus(Map<String, String> values) {

    private static final Pattern LINE = Pattern.compile("^\\s*([A-Za-z][A-Za-z ]*?):\\s*(.*?)\\s*$");
    private static final Pattern SPAN_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(y|month|w|d|h|min|s|ms|us|µs|ns)");
    private static final Pattern SPAN = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d+)?\\s*(?:y|month|w|d|h|min|s|ms|us|µs|ns)\\s*)+");

    /** Copies the map so the record is immutable (order kept). */
    public TimesyncStatus {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses the output; lines that are not {@code Name: value} are ignored. */
    public static TimesyncStatus parse(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                values.put(m.group(1), m.group(2));
            }
        }
        return new TimesyncStatus(values);
    }

    /** Whether timesyncd has had an answer: the offset line appears only then. */
    public boolean contacted() {
        return values.containsKey("Offset");
    }

    /** The server's address, or its name when timesyncd has none (e.g. {@code (null)}), or null. */
    public String server() {
        String s = values.get("Server");
        if (s == null) {
            return null;
        }
        // "192.0.2.1 (name)", "(null) (name)", "n/a (name)"
        int paren = s.indexOf(" (");
        String address = paren < 0 ? s : s.substring(0, paren);
        if (address.equals("(null)") || address.equals("n/a")) {
            return paren < 0 ? null : s.substring(paren + 2, s.length() - 1);
        }
        return address;
    }

    /** server − local, in nanoseconds. */
    public long offsetNanos() {
        return span("Offset");
    }

    /** The round-trip delay. */
    public long delayNanos() {
        return span("Delay");
    }

    /** timesyncd's jitter estimate. */
    public long jitterNanos() {
        return span("Jitter");
    }

    /** The server's root distance (the part before {@code (max: …)}). */
    public long rootDistanceNanos() {
        return span("Root distance");
    }

    /** The server's stratum. */
    public int stratum() {
        String s = require("Stratum");
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Stratum: '" + s + "' is not a number", e);
        }
    }

    /** The leap indicator ({@code normal}, {@code +1}/{@code -1} or their words, {@code not synchronized}). */
    public Leap leap() {
        String s = values.getOrDefault("Leap", "normal").toLowerCase(Locale.ROOT);
        if (s.startsWith("normal")) {
            return Leap.NONE;
        }
        if (s.contains("insert") || s.startsWith("+")) {
            return Leap.ADD_SECOND;
        }
        if (s.contains("delete") || s.startsWith("-")) {
            return Leap.DELETE_SECOND;
        }
        return Leap.UNSYNCHRONIZED;
    }

    /** The server's reference id (hex, as timesyncd prints it), or 0. */
    public int referenceId() {
        String s = values.get("Reference");
        if (s == null || !s.matches("[0-9A-Fa-f]{1,8}")) {
            return 0;
        }
        return (int) Long.parseLong(s, 16);
    }

    private String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("timedatectl timesync-status printed no '" + name + "' line");
        }
        return v;
    }

    private long span(String name) {
        String v = require(name);
        int paren = v.indexOf(" (");
        return parseSpan(paren < 0 ? v : v.substring(0, paren), name);
    }

    /**
     * A systemd time span in nanoseconds: parts such as {@code 34min 8s} or {@code 40.580ms}, summed,
     * with an optional sign.
     *
     * @throws IllegalArgumentException naming the field and text that is not a span
     */
    static long parseSpan(String text, String field) {
        String t = text.trim();
        if (!SPAN.matcher(t).matches()) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a time span");
        }
        boolean negative = t.startsWith("-");
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        Matcher m = SPAN_PART.matcher(t);
        while (m.find()) {
            total = total.add(new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unitNanos(m.group(2)))));
        }
        long nanos = total.setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        return negative ? -nanos : nanos;
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            case "w" -> 604_800_000_000_000L;
            // systemd's month and year: 30.44 and 365.25 days.
            case "month" -> 2_629_800_000_000_000L;
            case "y" -> 31_557_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
