package io.timesync.ntp;

/**
 * The on-wire calculation of RFC 5905 §8: offset and round-trip delay of one exchange.
 *
 * <p>Inputs are what a client really has: T1, the local send time as a raw 32.32 timestamp (taken
 * from the wall clock at send time); T2 and T3, the server's raw timestamps; and the elapsed time
 * T4 − T1 in nanoseconds, measured on a monotonic clock, so a step of the wall clock during the
 * exchange cannot corrupt the delay. Differences use wrapping arithmetic, so the result is right
 * across the 2036 era change. Nothing here divides: the receive path costs a few nanoseconds.
 *
 * <p>Sign convention: a positive offset means the server is ahead of the local clock
 * (offset = server − local).
 */
public final class OnWire {

    private OnWire() {
    }

    /**
     * θ = ((T2 − T1) + (T3 − T4)) / 2 = ((T2 − T1) + (T3 − T1) − (T4 − T1)) / 2, in nanoseconds.
     *
     * @param t1           local send time, raw 32.32
     * @param t2           server receive time, raw 32.32
     * @param t3           server transmit time, raw 32.32
     * @param elapsedNanos T4 − T1 from a monotonic clock
     */
    public static long offsetNanos(long t1, long t2, long t3, long elapsedNanos) {
        long toReceive = NtpTimestamp.difference(t2, t1);
        long toTransmit = NtpTimestamp.difference(t3, t1);
        // Halve before adding, as each interval may use nearly the full 64 bits; the last term keeps
        // the carry of two odd halves.
        long mean = (toReceive >> 1) + (toTransmit >> 1) + (toReceive & toTransmit & 1);
        return NtpTimestamp.intervalToNanos(mean) - (elapsedNanos >> 1);
    }

    /**
     * δ = (T4 − T1) − (T3 − T2), in nanoseconds. Negative only when a server lies about T2/T3.
     *
     * @param t2           server receive time, raw 32.32
     * @param t3           server transmit time, raw 32.32
     * @param elapsedNanos T4 − T1 from a monotonic clock
     */
    public static long delayNanos(long t2, long t3, long elapsedNanos) {
        return elapsedNanos - NtpTimestamp.intervalToNanos(NtpTimestamp.difference(t3, t2));
    }
}
