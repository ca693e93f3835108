package io.timesync.ntp;

/** Formats the 32-bit reference id of an NTP header for people; allocates, so not for the hot path. */
public final class ReferenceId {

    private ReferenceId() {
    }

    /**
     * The reference id as text: for stratum 0 (kiss codes) and 1 (reference clocks) the four ASCII
     * characters, trailing NULs dropped and non-printable bytes escaped; otherwise the IPv4 address
     * of the upstream server (for an IPv6 upstream it is the first four bytes of an MD5 hash, shown
     * the same way because nothing better can be recovered).
     */
    public static String format(int referenceId, int stratum) {
        if (stratum <= 1) {
            StringBuilder text = new StringBuilder(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                int c = (referenceId >>> shift) & 0xFF;
                if (c == 0) {
                    break;
                }
                if (c >= 0x20 && c < 0x7F) {
                    text.append((char) c);
                } else {
                    text.append(String.format("\\x%02x", c));
                }
            }
            return text.toString();
        }
        return ((referenceId >>> 24) & 0xFF) + "." + ((referenceId >>> 16) & 0xFF) + "."
                + ((referenceId >>> 8) & 0xFF) + "." + (referenceId & 0xFF);
    }
}
