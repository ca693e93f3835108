package io.timesync.time;

/**
 * What the clock filter makes of a server's samples.
 *
 * @param best            the least-distance sample, the least disturbed by queueing
 * @param offsetNanos     the filter's offset (server − local): the samples' offsets weighted by how
 *                        close each one's distance is to the best one's
 * @param delayNanos      the best sample's round-trip delay
 * @param jitterNanos     RMS of the other samples' offsets from the best one's (0 with a single sample)
 * @param sampleCount     how many samples the filter looked at
 * @param bestAgeNanos    how long before the time the estimate was made as of (the filter's newest
 *                        sample, or the poll that asked) the best sample was taken
 * @param errorBoundNanos the bound on the offset's error then: for an honest server the true offset
 *                        lies within {@code offsetNanos ± errorBoundNanos} (the same weighted mean of
 *                        each sample's {@link Sample#errorBoundNanos} at its age)
 */
public record Estimate(Sample best, long offsetNanos, long delayNanos, long jitterNanos, int sampleCount,
                       long bestAgeNanos, long errorBoundNanos) {

    /** An estimate of one fresh sample's offset, or of several samples whose best is the newest and alone counts. */
    public Estimate(Sample best, long offsetNanos, long delayNanos, long jitterNanos, int sampleCount) {
        this(best, offsetNanos, delayNanos, jitterNanos, sampleCount, 0, best.errorBoundNanos(0));
    }

    /**
     * The root distance of RFC 5905 {@code root_dist()}: the best sample's plus the jitter. The
     * falseticker check uses {@code [offset − this, offset + this]} as the server's correctness interval.
     */
    public long rootDistanceNanos() {
        return best.rootDistanceNanos() + jitterNanos;
    }

    /** {@link #errorBoundNanos()} grown by the frequency tolerance over {@code laterNanos} since the estimate was made. Saturates. */
    public long errorBoundNanos(long laterNanos) {
        return Sample.aged(errorBoundNanos, laterNanos);
    }
}
