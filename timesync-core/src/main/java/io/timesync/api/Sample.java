package io.timesync.api;

import io.timesync.ntp.Leap;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.ntp.ReferenceId;

/**
 * One valid exchange with a server. Times are nanoseconds; T1 and T4 are local readings since the
 * Unix epoch, T2 and T3 the server's raw NTP timestamps. Offset is server − local.
 *
 * @param t1UnixNanos      local time the request left (wall clock)
 * @param t2               server receive timestamp, raw 32.32
 * @param t3               server transmit timestamp, raw 32.32
 * @param t4UnixNanos      local time the reply arrived: T1 plus the monotonic time elapsed
 * @param offsetNanos      θ = ((T2 − T1) + (T3 − T4)) / 2
 * @param delayNanos       δ = (T4 − T1) − (T3 − T2)
 * @param stratum          1-15
 * @param leap             the server's leap indicator
 * @param precision        the server's clock precision, log2 seconds
 * @param poll             the poll exponent the server suggests, log2 seconds
 * @param rootDelayNanos   the server's round-trip delay to its reference clock
 * @param rootDispersionNanos the server's error bound relative to its reference clock
 * @param referenceId      raw reference id; see {@link #referenceIdText()}
 */
public record Sample(long t1UnixNanos, long t2, long t3, long t4UnixNanos, long offsetNanos, long delayNanos,
                     int stratum, Leap leap, int precision, int poll, long rootDelayNanos,
                     long rootDispersionNanos, int referenceId) {

    /**
     * The root distance: the maximum error of this sample's offset relative to the reference clock,
     * root delay / 2 + root dispersion + delay / 2 (RFC 5905 §11.2, without the peer dispersion that
     * accrues over time, which a one-shot probe does not track).
     */
    public long rootDistanceNanos() {
        return rootDelayNanos / 2 + rootDispersionNanos + Math.max(delayNanos, 0) / 2;
    }

    /** T2 in Unix nanoseconds (era taken from T1). */
    public long t2UnixNanos() {
        return NtpTimestamp.toUnixNanos(t2, t1UnixNanos);
    }

    /** T3 in Unix nanoseconds (era taken from T1). */
    public long t3UnixNanos() {
        return NtpTimestamp.toUnixNanos(t3, t1UnixNanos);
    }

    /** The reference id as text: a reference-clock code at stratum 1, an IPv4 address above. */
    public String referenceIdText() {
        return ReferenceId.format(referenceId, stratum);
    }
}
