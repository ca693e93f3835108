package io.timesync.windows.w32time;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of {@code sc query} and {@code sc qc} output TimeSync reads. sc's field names
 * ({@code STATE}, {@code START_TYPE}) are not localised, and each value starts with its numeric code,
 * so only the codes are read: {@code STATE : 4  RUNNING}, {@code START_TYPE : 2   AUTO_START  (DELAYED)}.
 */
public final class ScOutput {

    /** SERVICE_STOPPED. */
    public static final int STOPPED = 1;
    /** SERVICE_START_PENDING. */
    public static final int START_PENDING = 2;
    /** SERVICE_RUNNING. */
    public static final int RUNNING = 4;
    /** SERVICE_AUTO_START (also with "(DELAYED)"). */
    public static final int AUTO_START = 2;
    /** SERVICE_DEMAND_START. */
    public static final int DEMAND_START = 3;
    /** SERVICE_DISABLED. */
    public static final int DISABLED = 4;
    /** ERROR_ACCESS_DENIED. */
    public static final int ACCESS_DENIED = 5;
    /** ERROR_SERVICE_DOES_NOT_EXIST. */
    public static final int NO_SUCH_SERVICE = 1060;

    private static final Pattern STATE = Pattern.compile("^\\s*STATE\\s*:\\s*(\\d+)\\s*(\\S*)", Pattern.MULTILINE);
    private static final Pattern START_TYPE = Pattern.compile("^\\s*START_TYPE\\s*:\\s*(\\d+)\\s*(.*)$", Pattern.MULTILINE);
    private static final Pattern FAILED = Pattern.compile("FAILED\\s+(\\d+)\\s*:");

    private ScOutput() {
    }

    /**
     * The service's state code from {@code sc query} (or {@code sc start}).
     *
     * @throws IllegalArgumentException when there is no STATE line
     */
    public static int state(String output) {
        Matcher m = STATE.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("no STATE in the output of sc: '" + output.strip() + "'");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The state's name as sc prints it ({@code RUNNING}), for messages. */
    public static String stateName(String output) {
        Matcher m = STATE.matcher(output);
        return m.find() ? m.group(2) : "?";
    }

    /**
     * The start type code from {@code sc qc}.
     *
     * @throws IllegalArgumentException when there is no START_TYPE line
     */
    public static int startType(String output) {
        Matcher m = START_TYPE.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("no START_TYPE in the output of sc qc: '" + output.strip() + "'");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Whether {@code sc qc} shows a delayed automatic start. */
    public static boolean delayed(String output) {
        Matcher m = START_TYPE.matcher(output);
        return m.find() && m.group(2).contains("(");
    }

    /** The Win32 error of a failed sc command ({@code [SC] OpenService FAILED 5:}), if it failed. */
    public static OptionalInt failure(String output) {
        Matcher m = FAILED.matcher(output);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** sc's message after the failure code, e.g. {@code Access is denied.}, or the whole output. */
    public static Optional<String> failureText(String output) {
        Matcher m = FAILED.matcher(output);
        if (!m.find()) {
            return Optional.empty();
        }
        String rest = output.substring(m.end()).strip();
        return Optional.of(rest.isEmpty() ? output.strip() : rest.lines().map(String::strip).filter(l -> !l.isEmpty())
                .findFirst().orElse(rest));
    }
}
