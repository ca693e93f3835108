package io.timesync.probe;

import io.timesync.time.Estimate;
import io.timesync.time.Sample;

import java.util.List;

/**
 * The clock filter of RFC 5905 §10, with the offset taken from more than one sample. Of the last
 * {@value #SIZE} samples, the best is the one with the least distance {@code λ = δ/2 + ε}, where
 * {@code ε} is the sample's dispersion grown by {@link Sample#PHI} over its age. Queueing only ever
 * adds delay, and with it asymmetric error; the aging lets a fresh sample win over an old one of
 * slightly smaller delay, since the clock may have drifted since. (§10's text orders by distance; the
 * code skeleton of Appendix A.5.2 by delay alone: this follows the text.)
 *
 * <p>RFC 5905 takes the best sample's offset alone. Here each sample's offset is weighted by
 * {@code 1 / (1 + (λ − λbest) / s)²} with {@code s = λbest / }{@value #SCALE_DIVISOR} plus the local
 * clock's precision, and not at all beyond {@value #MAX_EXCESS} s of excess: samples whose path was as short as the best one's count almost as much, so the
 * independent asymmetries of their two directions average out, while a sample that met a queue
 * counts for little. Against the impairment lab's paths, where the queueing of each direction is
 * independent, this halves the median error of the best sample alone on jittery paths and keeps it
 * where one sample stands out (bursts, route changes); see docs/lab.md. The bound stays sound: each
 * sample's offset lies within its own {@link Sample#errorBoundNanos} of the truth, so their weighted
 * mean lies within the same weighted mean of those bounds, which is the estimate's bound. Jitter is the
 * RMS of the window's offsets from the best one's.
 *
 * <p>One run's samples (seconds apart) and one server's last polls (a sample per poll, across
 * cycles) go through the same filter; ages are counted to a time passed in, so it reads no clock.
 * RFC 5905's rule that a sample is used once serves a discipline loop that integrates each sample;
 * a decision does not, so the best sample stands as long as it is the best.
 */
public final class ClockFilter {

    /** How many of the most recent samples the filter considers. */
    public static final int SIZE = 8;
    /** A sample whose distance exceeds the best one's by this fraction of it weighs a quarter as much. */
    static final double SCALE_DIVISOR = 16;
    /**
     * Beyond this many scales of excess a sample does not count: its small weight times the large error
     * a long path allows (a route change, a queue) would still move the offset.
     */
    static final double MAX_EXCESS = 4;

    private ClockFilter() {
    }

    /** The estimate for the given samples (oldest first) as of the newest one, or null when there are none. */
    public static Estimate estimate(List<Sample> samples) {
        return samples.isEmpty() ? null : estimate(samples, samples.get(samples.size() - 1).t4UnixNanos());
    }

    /**
     * The estimate for the given samples (oldest first) as of {@code nowUnixNanos}, or null when there
     * are none: each sample is aged from its T4 to then (a sample from after {@code now} counts as
     * age 0), and the estimate's {@link Estimate#bestAgeNanos()} is the chosen sample's age.
     */
    public static Estimate estimate(List<Sample> samples, long nowUnixNanos) {
        if (samples.isEmpty()) {
            return null;
        }
        int from = Math.max(0, samples.size() - SIZE);
        int n = samples.size() - from;
        Sample best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = from; i < samples.size(); i++) {
            Sample s = samples.get(i);
            double distance = distance(s, nowUnixNanos);
            if (distance < bestDistance) {
                best = s;
                bestDistance = distance;
            }
        }
        double scale = bestDistance / SCALE_DIVISOR + Sample.LOCAL_PRECISION_NANOS;
        double weights = 0;
        double offsets = 0;
        double bounds = 0;
        double sumOfSquares = 0;
        for (int i = from; i < samples.size(); i++) {
            Sample s = samples.get(i);
            double excess = (distance(s, nowUnixNanos) - bestDistance) / scale;
            double weight = excess > MAX_EXCESS ? 0 : 1.0 / ((1.0 + excess) * (1.0 + excess));
            weights += weight;
            offsets += weight * s.offsetNanos();
            bounds += weight * s.errorBoundNanos(age(s, nowUnixNanos));
            double d = (double) s.offsetNanos() - best.offsetNanos();
            sumOfSquares += d * d;
        }
        long jitter = n < 2 ? 0 : Math.round(Math.sqrt(sumOfSquares / (n - 1)));
        double bound = Math.ceil(bounds / weights);
        return new Estimate(best, Math.round(offsets / weights), best.delayNanos(), jitter, n, age(best, nowUnixNanos),
                bound >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bound);
    }

    /** RFC 5905's distance λ = δ/2 + ε, the dispersion ε grown by {@link Sample#PHI} over the sample's age. */
    private static double distance(Sample s, long nowUnixNanos) {
        return Math.max(s.delayNanos(), 0) / 2.0 + s.dispersionNanos() + Sample.PHI * age(s, nowUnixNanos);
    }

    private static long age(Sample s, long nowUnixNanos) {
        return Math.max(0, nowUnixNanos - s.t4UnixNanos());
    }
}
