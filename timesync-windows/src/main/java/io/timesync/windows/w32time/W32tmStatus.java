package io.timesync.windows.w32time;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code w32tm /query /status /verbose} reports: the Windows Time service's own view of the
 * clock.
 *
 * <p>The labels are localised ("Phase Offset", "Phasendifferenz", "相位偏移", "Décalage de phase") and
 * the console code page mangles their accents, but w32tm prints the fields in a fixed order
 * (the order of its W32TIME_STATUS_INFO structure), so the parser reads values by position and never
 * by label. Long lines that w32tm wraps (German) are joined back; seconds may carry a decimal comma.
 *
 * @param leap                 the leap indicator (3: not synchronised)
 * @param stratum              the service's stratum (0: unspecified)
 * @param precision            log2 of the clock's precision in seconds
 * @param rootDelayNanos       root delay
 * @param rootDispersionNanos  root dispersion
 * @param referenceId          the reference id as a 32-bit value
 * @param lastSync             the last successful sync time as printed (localised; "unspecified" when never)
 * @param source               the source as printed, e.g. {@code time.windows.com,0x9} or {@code Local CMOS Clock}
 * @param pollInterval         log2 of the poll interval in seconds
 * @param phaseOffsetNanos     the phase offset the service is working off, or null without /verbose
 * @param stateMachine         the state machine (0 unset, 1 hold, 2 sync, 3 spike), or null
 * @param lastSyncError        the last sync result (0 ok, 1 no data, 2 stale data, 3 too large, 4 shutdown), or null
 * @param sinceLastGoodSyncNanos time since the last good sync, or null (older Windows do not print it)
 */
public record W32tmStatus(int leap, int stratum, int precision, long rootDelayNanos, long rootDispersionNanos,
                          int referenceId, String lastSync, String source, int pollInterval, Long phaseOffsetNanos,
                          Integer stateMachine, Integer lastSyncError, Long sinceLastGoodSyncNanos) {

    // An HRESULT in parentheses ends w32tm's error lines, whatever the language.
    private static final Pattern ERROR = Pattern.compile(".*\\((0x[0-9A-Fa-f]{8})\\)\\s*$");
    private static final Pattern INTEGER = Pattern.compile("\\s*([+-]?\\d+)");
    private static final Pattern HEX = Pattern.compile("\\s*0x([0-9A-Fa-f]{1,8})");
    private static final int BASIC_FIELDS = 9;

    /** Whether the service has a usable source: not leap 3, not stratum 0. */
    public boolean synchronised() {
        return leap != 3 && stratum > 0;
    }

    /** The source without w32time's flags ({@code time.windows.com,0x9} is {@code time.windows.com}). */
    public String sourceHost() {
        int comma = source.lastIndexOf(",0x");
        return comma > 0 ? source.substring(0, comma) : source;
    }

    /**
     * Parses the output.
     *
     * @throws IllegalArgumentException with w32tm's own error line when it printed one (e.g. the
     *                                  service is not started), or naming what is missing
     */
    public static W32tmStatus parse(String output) {
        List<String> values = values(output);
        if (values.size() < BASIC_FIELDS) {
            Optional<String> error = errorLine(output);
            throw new IllegalArgumentException(error.map(e -> "w32tm reports: " + e)
                    .orElse("not the output of 'w32tm /query /status': " + values.size() + " fields, expected at least "
                            + BASIC_FIELDS + (output.isBlank() ? " (the output is empty)" : "")));
        }
        return new W32tmStatus(integer(values, 0), integer(values, 1), integer(values, 2), seconds(values, 3),
                seconds(values, 4), hex(values, 5), values.get(6), values.get(7), integer(values, 8),
                values.size() > 9 ? seconds(values, 9) : null, values.size() > 11 ? integer(values, 11) : null,
                values.size() > 14 ? integer(values, 14) : null, values.size() > 15 ? seconds(values, 15) : null);
    }

    /** w32tm's error line in {@code output} ({@code The following error occurred: ... (0x80070426)}), if any. */
    public static Optional<String> errorLine(String output) {
        return output.lines().map(String::strip).filter(l -> ERROR.matcher(l).matches()).findFirst();
    }

    /** The values after the first colon of each line, wrapped lines joined to the line before. */
    private static List<String> values(String output) {
        List<String> values = new ArrayList<>();
        for (String raw : output.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (!values.isEmpty()) {
                    values.set(values.size() - 1, values.get(values.size() - 1) + " " + line);
                }
                continue;
            }
            values.add(line.substring(colon + 1).strip());
        }
        return values;
    }

    private static int integer(List<String> values, int index) {
        Matcher m = INTEGER.matcher(values.get(index));
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("field " + (index + 1) + " of 'w32tm /query /status' is not a number: '"
                    + values.get(index) + "'");
        }
        return Integer.parseInt(m.group(1));
    }

    private static long seconds(List<String> values, int index) {
        try {
            return Seconds.nanos(values.get(index));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("field " + (index + 1) + " of 'w32tm /query /status' is not seconds: '"
                    + values.get(index) + "'");
        }
    }

    private static int hex(List<String> values, int index) {
        Matcher m = HEX.matcher(values.get(index));
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("field " + (index + 1) + " of 'w32tm /query /status' is not a reference id: '"
                    + values.get(index) + "'");
        }
        return (int) Long.parseLong(m.group(1), 16);
    }
}
