package io.timesync.testing.lab;

/**
 * What one direction of a path does to each datagram: a delay drawn from a distribution, loss,
 * duplication, reordering, and a route change (a delay step from a given time on).
 *
 * <p>The delay of a datagram is {@code baseNs}, plus a uniform draw in {@code [0, jitterNs)}, plus,
 * with probability {@code burstProbability}, an exponential draw of mean {@code burstMeanNs} (a queue
 * filling up: bufferbloat), plus {@code stepNs} once {@code stepAtNs} has passed since the relay started.
 *
 * @param baseNs           the fixed one-way delay
 * @param jitterNs         width of the uniform part (0: none)
 * @param burstProbability chance that a datagram also waits in a queue
 * @param burstMeanNs      mean of that wait (exponential)
 * @param loss             chance that a datagram is dropped
 * @param duplication      chance that a datagram is sent twice, the copy with a delay of its own
 * @param reorder          chance that a datagram is held back until the next one in this direction has gone
 * @param stepAtNs         when the route changes, counted from the relay's start (negative: never)
 * @param stepNs           the delay the route change adds (may be negative; the delay never goes below 0)
 */
public record PathImpairment(long baseNs, long jitterNs, double burstProbability, long burstMeanNs,
                             double loss, double duplication, double reorder, long stepAtNs, long stepNs) {

    /** A path that only delays, by exactly {@code baseNs}. */
    public static PathImpairment fixed(long baseNs) {
        return new PathImpairment(baseNs, 0, 0, 0, 0, 0, 0, -1, 0);
    }

    public PathImpairment {
        if (baseNs < 0 || jitterNs < 0 || burstMeanNs < 0) {
            throw new IllegalArgumentException("delays must be 0 or more: base " + baseNs + ", jitter " + jitterNs
                    + ", burst mean " + burstMeanNs);
        }
        for (double p : new double[] {burstProbability, loss, duplication, reorder}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must be within 0-1, got " + p);
            }
        }
    }

    public PathImpairment withJitter(long jitterNs) {
        return new PathImpairment(baseNs, jitterNs, burstProbability, burstMeanNs, loss, duplication, reorder, stepAtNs, stepNs);
    }

    public PathImpairment withBursts(double probability, long meanNs) {
        return new PathImpairment(baseNs, jitterNs, probability, meanNs, loss, duplication, reorder, stepAtNs, stepNs);
    }

    public PathImpairment withLoss(double loss) {
        return new PathImpairment(baseNs, jitterNs, burstProbability, burstMeanNs, loss, duplication, reorder, stepAtNs, stepNs);
    }

    public PathImpairment withDuplication(double duplication) {
        return new PathImpairment(baseNs, jitterNs, burstProbability, burstMeanNs, loss, duplication, reorder, stepAtNs, stepNs);
    }

    public PathImpairment withReorder(double reorder) {
        return new PathImpairment(baseNs, jitterNs, burstProbability, burstMeanNs, loss, duplication, reorder, stepAtNs, stepNs);
    }

    public PathImpairment withStep(long atNs, long stepNs) {
        return new PathImpairment(baseNs, jitterNs, burstProbability, burstMeanNs, loss, duplication, reorder, atNs, stepNs);
    }

    /** The mean delay before any route change, for checking what a relay did against what was asked. */
    public double meanDelayNs() {
        return baseNs + jitterNs / 2.0 + burstProbability * burstMeanNs;
    }
}
