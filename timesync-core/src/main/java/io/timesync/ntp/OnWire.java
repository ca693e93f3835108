package io.timesync.ntp;

/**
 * The on-wire calculation of RFC 5905 §8: offset and round-trip delay from the four timestamps of one
 * exchange. T1 and T4 are local readings in nanoseconds since the Unix epoch (T4 derived from a
 * monotonic clock, so a step of the wall clock during the exchange cannot corrupt the delay); T2 and
 * T3 are the server's raw 32.32 timestamps. Differences use wrapping arithmetic, so the result is
 * right across the 2036 era change.
 *
 * <p>Sign convention: a positive offset means the server is ahead of the local clock
 * (offset = server − local).
 */
public final class OnWire {

    private OnWire() {
    }

    /** θ = ((T2 − T1) + (T3 − T4)) / 2, in nanoseconds. */
    public static long offsetNanos(long t1UnixNanos, long t2, long t3, long t4UnixNanos) {
        long outbound = NtpTimestamp.difference(t2, NtpTimestamp.fromUnixNanos(t1UnixNanos));
        long inbound = NtpTimestamp.difference(t3, NtpTimestamp.fromUnixNanos(t4UnixNanos));
        // Halve before adding, as each interval may use nearly the full 64 bits; the last term keeps
        // the carry of two odd halves.
        return NtpTimestamp.intervalToNanos((outbound >> 1) + (inbound >> 1) + (outbound & inbound & 1));
    }

    /** δ = (T4 − T1) − (T3 − T2), in nanoseconds. Negative only when a server lies about T2/T3. */
    public static long delayNanos(long t1UnixNanos, long t2, long t3, long t4UnixNanos) {
        return (t4UnixNanos - t1UnixNanos) - NtpTimestamp.intervalToNanos(NtpTimestamp.difference(t3, t2));
    }
}
