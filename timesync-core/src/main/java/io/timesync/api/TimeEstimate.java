package io.timesync.api;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.Sample;

import java.util.List;

/**
 * What {@link TimeSync#measure()} makes of its servers: the offset of the local clock from the
 * selected servers' consensus, with an error bound, and every server's measurement.
 *
 * @param offsetNanos      reference − local: add it to the local clock to get the reference time
 * @param errorBoundNanos  the true offset lies within {@code offsetNanos ± errorBoundNanos} at
 *                         {@code atUnixNanos}, provided the primary server is honest: the primary's
 *                         {@link Estimate#errorBoundNanos(long) error bound} aged to that time, plus
 *                         how far the combined offset lies from the primary's (the combination can be
 *                         no further from the truth than that). It covers path asymmetry (half the
 *                         round trip), the server's distance from its reference (root delay / 2 and
 *                         root dispersion), both clocks' precision and a frequency tolerance of
 *                         {@link Sample#PHI 15 ppm} over the round trip and the age; it cannot cover
 *                         a server that serves the wrong time. Without RFC 5905's 10 ms floor.
 * @param server           the primary server ({@code address:port})
 * @param stratum          the primary's stratum
 * @param atUnixNanos      when it was measured (local wall clock)
 * @param selected         the servers the offset combines, primary first
 * @param measurements     every server's measurement, including those not selected and why
 */
public record TimeEstimate(long offsetNanos, long errorBoundNanos, String server, int stratum, long atUnixNanos,
                           List<String> selected, List<Measurement> measurements) {

    /** Copies the lists so the record is immutable. */
    public TimeEstimate {
        selected = List.copyOf(selected);
        measurements = List.copyOf(measurements);
    }

    /**
     * {@link #errorBoundNanos()} grown by the frequency tolerance {@link Sample#PHI} over
     * {@code laterNanos} after {@link #atUnixNanos()}: how far a clock corrected by this offset may
     * be from the truth that much later. Saturates instead of overflowing.
     */
    public long errorBoundNanos(long laterNanos) {
        return Sample.aged(errorBoundNanos, laterNanos);
    }

    /**
     * Combines the selected servers' estimates (primary first, the keys in {@code selected}) measured
     * at {@code atUnixNanos}: RFC 5905's clock combine, the offsets weighted by the inverse of their
     * root distances, with the bound the class comment states.
     */
    static TimeEstimate combine(List<Estimate> estimates, List<String> selected, long atUnixNanos,
                                List<Measurement> measurements) {
        Estimate primary = estimates.get(0);
        long combined = combinedOffsetNanos(estimates);
        // The primary's filter ended with its newest sample; the estimate is stated as of atUnixNanos.
        long newest = primary.best().t4UnixNanos() + primary.bestAgeNanos();
        long bound = saturatingAdd(primary.errorBoundNanos(atUnixNanos - newest),
                Math.abs(combined - primary.offsetNanos()));
        return new TimeEstimate(combined, bound, selected.get(0), primary.best().stratum(), atUnixNanos, selected,
                measurements);
    }

    private static long combinedOffsetNanos(List<Estimate> estimates) {
        if (estimates.size() == 1) {
            return estimates.get(0).offsetNanos();
        }
        double weights = 0;
        double sum = 0;
        for (Estimate e : estimates) {
            double w = 1.0 / Math.max(1, e.rootDistanceNanos());
            weights += w;
            sum += w * e.offsetNanos();
        }
        return Math.round(sum / weights);
    }

    // Both terms are non-negative: a sum below zero overflowed.
    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
