package io.timesync.unix.chrony;

import java.util.ArrayList;
import java.util.List;

/**
 * One source of chronyd, from {@code chronyc -n -c sources}.
 *
 * @param mode          server, peer or reference clock
 * @param state         chronyd's verdict on it
 * @param address       its address (with {@code -n}) or name
 * @param stratum       its stratum (0 before it answered)
 * @param pollLog2      the polling interval, log2 seconds
 * @param reach         the reachability register (8 bits)
 * @param lastRxSeconds seconds since the last sample, or -1 when it never answered
 * @param offsetNanos   source − local at the last sample (TimeSync's sign; chronyc prints local − source)
 * @param errorNanos    the error bound of that sample
 */
public record ChronySource(Mode mode, State state, String address, int stratum, int pollLog2, int reach, long lastRxSeconds,
                           long offsetNanos, long errorNanos) {

    /** What kind of source. */
    public enum Mode { SERVER, PEER, REFCLOCK }

    /** chronyd's verdict (chronyc(1), "sources"). */
    public enum State {
        /** {@code *}: the current synchronisation source. */
        SELECTED,
        /** {@code +}: acceptable, combined with the selected one. */
        COMBINED,
        /** {@code -}: acceptable, excluded by the combining algorithm. */
        NOT_COMBINED,
        /** {@code ?}: connectivity lost or no valid sample yet. */
        UNREACHABLE,
        /** {@code x}: a falseticker. */
        FALSETICKER,
        /** {@code ~}: too variable. */
        TOO_VARIABLE
    }

    // chronyc prints this (2^32 - 1) as LastRx of a source that never answered.
    private static final long NEVER = 4294967295L;

    /**
     * Parses the output of {@code chronyc -c sources}, one source per line.
     *
     * @throws IllegalArgumentException naming the line and field that do not parse
     */
    public static List<ChronySource> parseAll(String output) {
        List<ChronySource> sources = new ArrayList<>();
        for (String line : output.strip().split("\n")) {
            if (!line.isBlank()) {
                sources.add(parse(line.strip()));
            }
        }
        return sources;
    }

    private static ChronySource parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 10) {
            throw new IllegalArgumentException("chronyc sources: expected 10 comma-separated fields, got " + f.length
                    + ": '" + Csv.abbreviate(line) + "'");
        }
        long lastRx = Csv.integerLong(f[6], "LastRx");
        return new ChronySource(mode(f[0], line), state(f[1], line), f[2], Csv.integer(f[3], "stratum"),
                Csv.integer(f[4], "poll"), (int) Csv.octal(f[5], "reach"), lastRx == NEVER ? -1 : lastRx,
                -Csv.nanos(f[7], "offset"), Csv.nanos(f[9], "error"));
    }

    private static Mode mode(String field, String line) {
        switch (field) {
            case "^": return Mode.SERVER;
            case "=": return Mode.PEER;
            case "#": return Mode.REFCLOCK;
            default: throw new IllegalArgumentException("chronyc sources: unknown mode '" + field + "' in '" + Csv.abbreviate(line) + "'");
        }
    }

    private static State state(String field, String line) {
        switch (field) {
            case "*": return State.SELECTED;
            case "+": return State.COMBINED;
            case "-": return State.NOT_COMBINED;
            case "?": return State.UNREACHABLE;
            case "x": return State.FALSETICKER;
            case "~": return State.TOO_VARIABLE;
            default: throw new IllegalArgumentException("chronyc sources: unknown state '" + field + "' in '" + Csv.abbreviate(line) + "'");
        }
    }
}
