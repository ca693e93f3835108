package io.timesync.probe;

import io.timesync.time.Estimate;
import io.timesync.time.Sample;

import java.util.List;

/**
 * The clock filter of RFC 5905 §10, reduced to what a probe needs: of the last {@value #SIZE}
 * samples, the one with the smallest delay gives the offset (queueing only ever adds delay, and with
 * it asymmetric error); jitter is the RMS of the other samples' offsets from that one.
 */
public final class ClockFilter {

    /** How many of the most recent samples the filter considers. */
    public static final int SIZE = 8;

    private ClockFilter() {
    }

    /** The estimate for the given samples (oldest first), or null when there are none. */
    public static Estimate estimate(List<Sample> samples) {
        if (samples.isEmpty()) {
            return null;
        }
        List<Sample> window = samples.subList(Math.max(0, samples.size() - SIZE), samples.size());
        Sample best = window.get(0);
        for (Sample s : window) {
            if (s.delayNanos() < best.delayNanos()) {
                best = s;
            }
        }
        double sumOfSquares = 0;
        for (Sample s : window) {
            double d = (double) s.offsetNanos() - best.offsetNanos();
            sumOfSquares += d * d;
        }
        long jitter = window.size() < 2 ? 0 : Math.round(Math.sqrt(sumOfSquares / (window.size() - 1)));
        long age = window.get(window.size() - 1).t4UnixNanos() - best.t4UnixNanos();
        return new Estimate(best, best.offsetNanos(), best.delayNanos(), jitter, window.size(), age);
    }
}
