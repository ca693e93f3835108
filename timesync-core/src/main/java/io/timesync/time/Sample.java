package io.timesync.time;

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

    /** RFC 5905's MINDISP: the least round trip a root distance assumes, so no interval is implausibly narrow. */
    public static final long MIN_DISPERSION_NANOS = 10_000_000L;
    /** RFC 5905's PHI: the frequency tolerance a dispersion grows by, 15 ppm. */
    public static final double PHI = 15e-6;
    /**
     * The resolution of the local clock readings T1 and T4: the JVM reads the wall clock in
     * microseconds at best on some platforms.
     */
    public static final long LOCAL_PRECISION_NANOS = 1_000L;

    /**
     * The sample's dispersion: the server's precision plus the frequency tolerance over the exchange
     * (RFC 5905 §8; the client's precision, a few nanoseconds here, is left out).
     */
    public long dispersionNanos() {
        return precisionNanos() + Math.round(PHI * Math.max(delayNanos, 0));
    }

    /** The server's clock precision in nanoseconds (2 to the power {@link #precision()} seconds). */
    public long precisionNanos() {
        return precision >= 0 ? 1_000_000_000L << Math.min(precision, 30) : Math.round(1e9 * Math.scalb(1.0, precision));
    }

    /**
     * The sample's root distance, the bound on its offset's error relative to the reference clock
     * (RFC 5905 {@code root_dist()} without the jitter, which needs several samples):
     * max(MINDISP, root delay + delay) / 2 + root dispersion + dispersion.
     */
    public long rootDistanceNanos() {
        return Math.max(MIN_DISPERSION_NANOS, rootDelayNanos + Math.max(delayNanos, 0)) / 2 + rootDispersionNanos
                + dispersionNanos();
    }

    /**
     * A bound on this sample's offset error relative to the server's reference clock, {@code ageNanos}
     * after it was taken: half the round trip (the most an asymmetric path can move the offset), the
     * server's root delay / 2 and root dispersion, the server's and the local clock's precision, and
     * the frequency tolerance {@link #PHI} over the round trip and the age. Unlike
     * {@link #rootDistanceNanos()} it has no {@link #MIN_DISPERSION_NANOS} floor, so on a short path it
     * is as tight as the exchange allows. Saturates instead of overflowing.
     */
    public long errorBoundNanos(long ageNanos) {
        double bound = Math.max(delayNanos, 0) / 2.0 + rootDelayNanos / 2.0 + rootDispersionNanos + precisionNanos()
                + LOCAL_PRECISION_NANOS + PHI * ((double) Math.max(delayNanos, 0) + Math.max(ageNanos, 0));
        return bound >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(bound);
    }

    /** {@code boundNanos} grown by the frequency tolerance {@link #PHI} over {@code laterNanos} (none when negative). Saturates. */
    public static long aged(long boundNanos, long laterNanos) {
        double bound = boundNanos + Math.ceil(PHI * Math.max(laterNanos, 0));
        return bound >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bound;
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
