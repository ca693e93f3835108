package io.timesync.time;

/**
 * What the clock filter makes of a server's samples.
 *
 * @param best         the minimum-delay sample, whose offset is the least disturbed by queueing
 * @param offsetNanos  the best sample's offset (server − local)
 * @param delayNanos   the best sample's round-trip delay
 * @param jitterNanos  RMS of the other samples' offsets from the best one's (0 with a single sample)
 * @param sampleCount  how many samples the filter looked at
 */
public record Estimate(Sample best, long offsetNanos, long delayNanos, long jitterNanos, int sampleCount) {

    /**
     * The root distance of RFC 5905 {@code root_dist()}: the best sample's plus the jitter. The
     * falseticker check uses {@code [offset − this, offset + this]} as the server's correctness interval.
     */
    public long rootDistanceNanos() {
        return best.rootDistanceNanos() + jitterNanos;
    }
}
