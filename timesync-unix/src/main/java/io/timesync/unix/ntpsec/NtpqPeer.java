package io.timesync.unix.ntpsec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One association of ntpd, from {@code ntpq -pn}.
 *
 * @param tally   the selection code: {@code *} system peer, {@code +} candidate, {@code -} outlier,
 *                {@code x} falseticker, {@code #} backup, {@code .} excess, {@code o} PPS peer, {@code ' '} rejected
 * @param remote  the address (or reference clock name)
 * @param refid   its reference id
 * @param stratum its stratum
 * @param type    u unicast, l local, p pool, b broadcast, ...
 * @param reach   the reachability register
 * @param delayNanos  round-trip delay
 * @param offsetNanos offset, server − local
 * @param jitterNanos jitter
 */
public record NtpqPeer(char tally, String remote, String refid, int stratum, String type, int reach, long delayNanos,
                       long offsetNanos, long jitterNanos) {

    /** Whether ntpd synchronises to it. */
    public boolean isSystemPeer() {
        return tally == '*' || tally == 'o';
    }

    /**
     * Parses the table (header and rule line skipped).
     *
     * @throws IllegalArgumentException naming the line that does not parse
     */
    public static List<NtpqPeer> parseAll(String output) {
        List<NtpqPeer> peers = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank() || line.stripLeading().startsWith("remote") || line.startsWith("=")) {
                continue;
            }
            char tally = line.charAt(0);
            String[] f = line.substring(1).trim().split("\\s+");
            if (f.length != 10) {
                throw new IllegalArgumentException("ntpq peers: expected 10 columns in '" + line.strip() + "'");
            }
            try {
                peers.add(new NtpqPeer(tally, f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[6], 8),
                        millis(f[7]), millis(f[8]), millis(f[9])));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("ntpq peers: cannot read '" + line.strip() + "': " + e.getMessage(), e);
            }
        }
        return peers;
    }

    private static long millis(String value) {
        return new BigDecimal(value).multiply(BigDecimal.valueOf(1_000_000L)).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
