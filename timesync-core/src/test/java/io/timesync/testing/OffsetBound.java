package io.timesync.testing;

import io.timesync.probe.ClockFilter;
import io.timesync.time.Measurement;
import io.timesync.time.Sample;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How far a measured offset can be from the truth when the server is honest and reads the same clock
 * as the client (a server on loopback, or one shifted by a known amount): the accuracy assertion of
 * every loopback test.
 *
 * <p>The server reads T2 and T3 between the client's T1 and T4, so θ = ((T2 − T1) + (T3 − T4)) / 2
 * lies within half the round-trip delay δ of the true offset. Each server timestamp is off by up to
 * the server's announced precision, and each client reading by up to {@link #CLIENT_READ_NANOS}. A busy
 * machine makes the delay long, and the bound grows with it, so the bound fails only when the
 * arithmetic or the timestamps are wrong, never because the machine was slow.
 */
public final class OffsetBound {

    /**
     * The margin for the client's own clock reads: {@code Instant.now()} resolves to a microsecond at
     * worst on the JDKs we run (nanoseconds on Linux), T1's wall and monotonic readings are taken one
     * after the other, and a 32.32 timestamp rounds by 0.23 ns.
     */
    public static final long CLIENT_READ_NANOS = 1_000;

    private OffsetBound() {
    }

    /** Half of {@code delayNanos}, plus the server's precision ({@code precision}, log2 seconds), plus {@link #CLIENT_READ_NANOS}. */
    public static long nanos(long delayNanos, int precision) {
        return Math.max(delayNanos, 0) / 2 + precisionNanos(precision) + CLIENT_READ_NANOS;
    }

    /** The server's timestamp precision, 2^precision seconds, in nanoseconds (rounded up). */
    public static long precisionNanos(int precision) {
        return (long) Math.ceil(1e9 * Math.scalb(1.0, precision));
    }

    /**
     * Asserts that {@code offsetNanos}, measured over a round trip of {@code delayNanos} from a server
     * announcing {@code precision}, is within {@link #nanos} of {@code trueOffsetNanos}.
     */
    public static void assertWithin(long offsetNanos, long delayNanos, int precision, long trueOffsetNanos, String what) {
        long bound = nanos(delayNanos, precision);
        assertThat(offsetNanos).as("%s: offset %d ns over a delay of %d ns from a server of precision 2^%d s must be"
                        + " within %d ns (half the delay + precision + %d ns) of %d ns", what, offsetNanos, delayNanos,
                precision, bound, CLIENT_READ_NANOS, trueOffsetNanos)
                .isBetween(trueOffsetNanos - bound, trueOffsetNanos + bound);
    }

    /**
     * The bound of an offset filtered from {@code samples} (the clock filter's window, the last
     * {@link ClockFilter#SIZE}): the widest of theirs. The filter's offset is a weighted mean of the
     * samples' offsets, so it lies within the same weighted mean of their bounds, never beyond the widest.
     */
    public static long nanos(List<Sample> samples) {
        long widest = 0;
        for (Sample s : samples.subList(Math.max(0, samples.size() - ClockFilter.SIZE), samples.size())) {
            widest = Math.max(widest, nanos(s.delayNanos(), s.precision()));
        }
        return widest;
    }

    /** Asserts that {@code offsetNanos}, filtered from {@code samples} (a skew, a clock's offset), is within {@link #nanos(List)} of the truth. */
    public static void assertWithin(long offsetNanos, List<Sample> samples, long trueOffsetNanos, String what) {
        assertThat(samples).as("%s: samples", what).isNotEmpty();
        long bound = nanos(samples);
        assertThat(offsetNanos).as("%s: offset %d ns filtered from %s must be within %d ns (the widest sample's half"
                        + " delay + precision + %d ns) of %d ns", what, offsetNanos, samples, bound, CLIENT_READ_NANOS,
                trueOffsetNanos).isBetween(trueOffsetNanos - bound, trueOffsetNanos + bound);
    }

    /**
     * Asserts that the sample's offset is within the bound of {@code trueOffsetNanos}, and that the
     * server's timestamps, less the true offset, lie between T1 and T4 (give or take the precision and
     * the client's reads), T3 not before T2.
     */
    public static void assertWithin(Sample s, long trueOffsetNanos) {
        assertWithin(s.offsetNanos(), s.delayNanos(), s.precision(), trueOffsetNanos, "sample " + s);
        long slack = precisionNanos(s.precision()) + CLIENT_READ_NANOS;
        assertThat(s.delayNanos()).as("delay of %s", s).isNotNegative();
        assertThat(s.t2UnixNanos() - trueOffsetNanos).as("T2 of %s", s)
                .isBetween(s.t1UnixNanos() - slack, s.t4UnixNanos() + slack);
        assertThat(s.t3UnixNanos() - trueOffsetNanos).as("T3 of %s", s)
                .isBetween(s.t1UnixNanos() - slack, s.t4UnixNanos() + slack);
        assertThat(s.t3UnixNanos()).as("T3 of %s", s).isGreaterThanOrEqualTo(s.t2UnixNanos() - slack);
    }

    /**
     * Asserts that {@code m} has at least one sample, and that its estimate and every sample are
     * within the bound of {@code trueOffsetNanos}.
     */
    public static void assertWithin(Measurement m, long trueOffsetNanos) {
        assertThat(m.samples()).as("samples of %s", m).isNotEmpty();
        assertThat(m.estimate()).as("estimate of %s", m).isNotNull();
        assertWithin(m.estimate().offsetNanos(), m.samples(), trueOffsetNanos, "estimate " + m.estimate());
        for (Sample s : m.samples()) {
            assertWithin(s, trueOffsetNanos);
        }
    }

    /**
     * Asserts that {@code boundNanos}, an error bound stated for {@code offsetNanos} of an honest server
     * filtered from {@code samples} at most {@code maxAgeNanos} after the newest, contains
     * {@code trueOffsetNanos}, is no narrower than the best round trip allows ({@link #nanos}), and is no
     * wider than the widest sample's {@link Sample#errorBoundNanos} at that age: no 10 ms floor as in the
     * root distance.
     */
    public static void assertErrorBound(long offsetNanos, long boundNanos, List<Sample> samples, long trueOffsetNanos,
                                        long maxAgeNanos, String what) {
        assertThat(Math.abs(offsetNanos - trueOffsetNanos)).as("%s: offset %d ns ± %d ns must contain %d ns", what,
                offsetNanos, boundNanos, trueOffsetNanos).isLessThanOrEqualTo(boundNanos);
        long narrowest = Long.MAX_VALUE;
        long widest = 0;
        for (Sample s : samples.subList(Math.max(0, samples.size() - ClockFilter.SIZE), samples.size())) {
            narrowest = Math.min(narrowest, nanos(s.delayNanos(), s.precision()));
            widest = Math.max(widest, s.errorBoundNanos(maxAgeNanos));
        }
        assertThat(boundNanos).as("%s: bound from %s", what, samples).isBetween(narrowest, widest);
    }
}
