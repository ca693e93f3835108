package io.timesync.probe;

import io.timesync.time.Estimate;
import io.timesync.time.Sample;

import java.util.List;

/**
 * The clock filter of RFC 5905 §10: of the last {@value #SIZE} samples, the one with the least
 * distance {@code λ = δ/2 + ε} gives the offset, where {@code ε} is the sample's dispersion grown by
 * {@link Sample#PHI} over its age. Queueing only ever adds delay, and with it asymmetric error; the
 * aging lets a fresh sample win over an old one of slightly smaller delay, since the clock may have
 * drifted since. (§10's text orders by distance; the code skeleton of Appendix A.5.2 by delay alone:
 * this follows the text, so the chosen sample is the one with the tightest error bound now.)
 * Jitter is the RMS of the window's offsets from the chosen one.
 *
 * <p>One run's samples (seconds apart) and one server's last polls (a sample per poll, across
 * cycles) go through the same filter; ages are counted to a time passed in, so it reads no clock.
 * RFC 5905's rule that a sample is used once serves a discipline loop that integrates each sample;
 * a decision does not, so the best sample stands as long as it is the best.
 */
public final class ClockFilter {

    /** How many of the most recent samples the filter considers. */
    public static final int SIZE = 8;

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
            double distance = Math.max(s.delayNanos(), 0) / 2.0 + s.dispersionNanos() + Sample.PHI * age(s, nowUnixNanos);
            if (distance < bestDistance) {
                best = s;
                bestDistance = distance;
            }
        }
        double sumOfSquares = 0;
        for (int i = from; i < samples.size(); i++) {
            double d = (double) samples.get(i).offsetNanos() - best.offsetNanos();
            sumOfSquares += d * d;
        }
        long jitter = n < 2 ? 0 : Math.round(Math.sqrt(sumOfSquares / (n - 1)));
        return new Estimate(best, best.offsetNanos(), best.delayNanos(), jitter, n, age(best, nowUnixNanos));
    }

    private static long age(Sample s, long nowUnixNanos) {
        return Math.max(0, nowUnixNanos - s.t4UnixNanos());
    }
}
