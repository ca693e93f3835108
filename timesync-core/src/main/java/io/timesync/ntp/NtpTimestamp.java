package io.timesync.ntp;

/**
 * NTP timestamps as raw 64-bit values: 32 bits of seconds since the start of the current NTP era
 * (era 0 began 1900-01-01T00:00Z, era 1 begins 2036-02-07T06:28:16Z) and 32 bits of binary fraction.
 *
 * <p>Raw values are never compared or subtracted as absolute times. {@link #difference(long, long)}
 * uses wrapping 64-bit subtraction, which yields the correct signed interval whenever the two
 * instants are less than 68 years apart, whatever era each lies in; absolute conversions take a
 * pivot near the timestamp to pick the era. Conversions round to the nearest nanosecond (a fraction
 * unit is about 0.233 ns), so Unix nanoseconds survive a round trip through a timestamp exactly.
 *
 * <p>All methods are pure and allocation-free.
 */
public final class NtpTimestamp {

    /** Seconds from 1900-01-01T00:00Z (NTP era 0) to 1970-01-01T00:00Z (the Unix epoch). */
    public static final long UNIX_EPOCH_NTP_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long LOW_32 = 0xFFFF_FFFFL;
    // 10^9 * 2^32: still below 2^63.
    private static final long NANOS_SHIFTED = NANOS_PER_SECOND << 32;

    private NtpTimestamp() {
    }

    /**
     * The timestamp of an instant given in nanoseconds since the Unix epoch (negative before 1970).
     * The era is dropped, as on the wire.
     */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(unixNanos, NANOS_PER_SECOND);
        // nanos < 2^30, so nanos << 32 < 2^62 cannot overflow; the result stays below 2^32.
        long fraction = ((nanos << 32) + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND;
        return ((seconds + UNIX_EPOCH_NTP_SECONDS) << 32) + fraction;
    }

    /**
     * Nanoseconds since the Unix epoch of a timestamp, taking the era that puts the result within
     * 68 years of {@code pivotUnixNanos} (normally the local clock's reading for the same exchange).
     */
    public static long toUnixNanos(long timestamp, long pivotUnixNanos) {
        long pivotSeconds = Math.floorDiv(pivotUnixNanos, NANOS_PER_SECOND);
        // The cast to int keeps the offset modulo 2^32 seconds and picks the nearest era.
        int secondsFromPivot = (int) ((timestamp >>> 32) - UNIX_EPOCH_NTP_SECONDS - pivotSeconds);
        long seconds = pivotSeconds + secondsFromPivot;
        return seconds * NANOS_PER_SECOND + fractionToNanos(timestamp & LOW_32);
    }

    /**
     * {@code a - b} as a signed 32.32 interval, correct across era boundaries while the instants are
     * less than 2^31 seconds (68 years) apart.
     */
    public static long difference(long a, long b) {
        return a - b;
    }

    /** A signed 32.32 interval in nanoseconds, rounded to the nearest nanosecond (halves up). */
    public static long intervalToNanos(long interval) {
        // interval * 10^9 / 2^32 as a 128-bit product: the high word is the floor, the top bit of the
        // low word the rounding. One multiplication, exact over the whole range.
        long high = Math.multiplyHigh(interval, NANOS_SHIFTED);
        long low = interval * NANOS_SHIFTED;
        return high + (low >>> 63);
    }

    /**
     * An NTP short-format value (unsigned 16.16 seconds, as in root delay and root dispersion) in
     * nanoseconds, rounded to the nearest nanosecond.
     */
    public static long shortToNanos(int shortFormat) {
        return ((shortFormat & LOW_32) * NANOS_PER_SECOND + (1L << 15)) >>> 16;
    }

    /** The seconds field of a timestamp (unsigned, within its era). */
    public static long seconds(long timestamp) {
        return timestamp >>> 32;
    }

    /** The fraction field of a timestamp (unsigned 32-bit). */
    public static long fraction(long timestamp) {
        return timestamp & LOW_32;
    }

    private static long fractionToNanos(long fraction) {
        // fraction < 2^32 and 10^9 < 2^30: the product stays below 2^62.
        return (fraction * NANOS_PER_SECOND + (1L << 31)) >>> 32;
    }
}
