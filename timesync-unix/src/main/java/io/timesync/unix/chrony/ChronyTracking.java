package io.timesync.unix.chrony;

import io.timesync.ntp.Leap;
import io.timesync.platform.ServiceTracking;

import java.util.Locale;

/**
 * chronyd's view of the system clock, from {@code chronyc -c tracking}.
 *
 * @param referenceId        the reference id (hex in the output)
 * @param referenceName      the current source's address or name; empty when unsynchronised
 * @param stratum            chronyd's stratum (0 when unsynchronised)
 * @param referenceTimeUnixNanos when the last measurement from the source was processed
 * @param skewNanos          reference − local: positive when the system clock is behind (chronyc prints it as "slow")
 * @param lastOffsetNanos    the last measured offset
 * @param rmsOffsetNanos     long-term average of the offset
 * @param frequencyPpm       the rate at which the system clock would be wrong without chronyd, positive fast
 * @param residualFrequencyPpm residual frequency of the current source
 * @param skewPpm            estimated error bound on the frequency
 * @param rootDelayNanos     root delay to the stratum-1 source
 * @param rootDispersionNanos root dispersion
 * @param updateIntervalSeconds interval between the last two clock updates
 * @param leap               the leap status
 */
public record ChronyTracking(int referenceId, String referenceName, int stratum, long referenceTimeUnixNanos,
                             long skewNanos, long lastOffsetNanos, long rmsOffsetNanos, double frequencyPpm,
                             double residualFrequencyPpm, double skewPpm, long rootDelayNanos, long rootDispersionNanos,
                             double updateIntervalSeconds, Leap leap) implements ServiceTracking {

    /** Whether chronyd has a source and is synchronised to it. */
    @Override
    public boolean synchronised() {
        return leap != Leap.UNSYNCHRONIZED && stratum > 0;
    }

    /**
     * Parses the one CSV line of {@code chronyc -c tracking}.
     *
     * @throws IllegalArgumentException naming the field that does not parse
     */
    public static ChronyTracking parse(String output) {
        String line = output.strip();
        String[] f = line.split(",", -1);
        if (f.length != 14) {
            throw new IllegalArgumentException("chronyc tracking: expected 14 comma-separated fields, got " + f.length
                    + ": '" + Csv.abbreviate(line) + "'");
        }
        return new ChronyTracking(
                (int) Csv.hex(f[0], "reference id"), f[1], Csv.integer(f[2], "stratum"), Csv.nanos(f[3], "reference time"),
                Csv.nanos(f[4], "system time"), Csv.nanos(f[5], "last offset"), Csv.nanos(f[6], "RMS offset"),
                Csv.decimal(f[7], "frequency"), Csv.decimal(f[8], "residual frequency"), Csv.decimal(f[9], "skew"),
                Csv.nanos(f[10], "root delay"), Csv.nanos(f[11], "root dispersion"), Csv.decimal(f[12], "update interval"),
                leap(f[13]));
    }

    private static Leap leap(String status) {
        switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "normal": return Leap.NONE;
            case "insert second": return Leap.ADD_SECOND;
            case "delete second": return Leap.DELETE_SECOND;
            case "not synchronised": return Leap.UNSYNCHRONIZED;
            default: throw new IllegalArgumentException("chronyc tracking: unknown leap status '" + Csv.abbreviate(status) + "'");
        }
    }
}
