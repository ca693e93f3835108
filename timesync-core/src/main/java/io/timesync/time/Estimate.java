package io.timesync.time;

/**
 * What the clock filter makes of a server's samples.
 *
 * @param best         the minimum-delay sample, whose offset is the least disturbed by queueing
 * @param offsetNanos  the best sample's offset (server − local)
 * @param delayNanos   the best sample's round-trip delay
 * @param jitterNanos  RMS of the other samples' offsets from the best one's (0 with a single sample)
 * @param sampleCount  how many samples the filter looked at
 * @param bestAgeNanos how long before the time the estimate was made as of (the filter's newest sample,
 *                     or the poll that asked) the best sample was taken
 */
public record Estimate(Sample best, long offsetNanos, long delayNanos, long jitterNanos, int sampleCount,
                       long bestAgeNanos) {

    /** An estimate whose best sample is its newest. */
    public Estimate(Sample best, long offsetNanos, long delayNanos, long jitterNanos, int sampleCount) {
        this(best, offsetNanos, delayNanos, jitterNanos, sampleCount, 0);
    }

    /**
     * The root distance of RFC 5905 {@code root_dist()}: the best sample's plus the jitter. The
     * falseticker check uses {@code [offset − this, offset + this]} as the server's correctness interval.
     */
    public long rootDistanceNanos() {
        return best.rootDistanceNanos() + jitterNanos;
    }

    /**
     * The bound on the offset's error when the estimate was made ({@link Sample#errorBoundNanos}
     * of the best sample at its age): for an honest server the true offset lies within
     * {@code offsetNanos ± errorBoundNanos()}.
     */
    public long errorBoundNanos() {
        return best.errorBoundNanos(bestAgeNanos);
    }

    /** {@link #errorBoundNanos()} grown by the frequency tolerance over {@code laterNanos} since the estimate was made. */
    public long errorBoundNanos(long laterNanos) {
        return best.errorBoundNanos(bestAgeNanos + Math.max(laterNanos, 0));
    }
}
