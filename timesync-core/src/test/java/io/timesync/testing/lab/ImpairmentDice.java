package io.timesync.testing.lab;

import java.util.SplittableRandom;

/**
 * The seeded source of one direction's {@link Fate}s. Every datagram takes the same number of draws
 * whatever happens to it, so the n-th datagram's fate depends on the seed and n alone (and, for the
 * route change, on when it arrives): the same seed replays the same path.
 */
public final class ImpairmentDice {

    private final PathImpairment path;
    private final SplittableRandom random;

    public ImpairmentDice(PathImpairment path, long seed) {
        this.path = path;
        this.random = new SplittableRandom(seed);
    }

    /** The fate of the next datagram, which arrived {@code sinceStartNs} after the relay started. */
    public Fate next(long sinceStartNs) {
        double lossDraw = random.nextDouble();
        double duplicateDraw = random.nextDouble();
        double reorderDraw = random.nextDouble();
        long delay = delay(sinceStartNs);
        long duplicateDelay = delay(sinceStartNs);
        return new Fate(lossDraw < path.loss(), delay, duplicateDraw < path.duplication(), duplicateDelay,
                reorderDraw < path.reorder());
    }

    private long delay(long sinceStartNs) {
        double jitterDraw = random.nextDouble();
        double burstDraw = random.nextDouble();
        double burstSize = random.nextDouble();
        long delay = path.baseNs() + (long) (jitterDraw * path.jitterNs());
        if (burstDraw < path.burstProbability()) {
            // Inverse transform of an exponential; 1 - u keeps the logarithm's argument above 0.
            delay += (long) (-Math.log(1.0 - burstSize) * path.burstMeanNs());
        }
        if (path.stepAtNs() >= 0 && sinceStartNs >= path.stepAtNs()) {
            delay += path.stepNs();
        }
        return Math.max(0, delay);
    }
}
