package io.timesync.select;

/**
 * Maps each metric to 0-100. The curves are part of the documentation (docs/commands/optimize.md, "Scoring"):
 * <ul>
 *   <li>jitter: 100 up to 1 ms; falls linearly in log10 to 0 at 10 ms (2 ms ≈ 70, 5 ms ≈ 30); 0 beyond;</li>
 *   <li>reachability: the mean of this run's answered/sent and, once a server has history, the share of
 *       its last (up to 8) runs that got an answer;</li>
 *   <li>stratum: 100 at stratum 1, minus 100/14 per stratum, 0 at 15;</li>
 *   <li>latency (round-trip delay): 100 up to 10 ms, linearly to 0 at 250 ms.</li>
 * </ul>
 */
public final class ScoreCurves {

    private static final double MS = 1_000_000.0;

    private ScoreCurves() {
    }

    /** Jitter score. */
    public static double jitter(long jitterNanos) {
        double ms = Math.max(0, jitterNanos) / MS;
        if (ms <= 1) {
            return 100;
        }
        if (ms >= 10) {
            return 0;
        }
        return 100 * (1 - Math.log10(ms));
    }

    /**
     * Reachability score.
     *
     * @param answered requests answered this run
     * @param sent     requests sent this run
     * @param runReach the register across earlier runs (bit 0 newest), before this run
     * @param runs     how many earlier runs probed it
     */
    public static double reach(int answered, int sent, int runReach, int runs) {
        double thisRun = sent == 0 ? 0 : (double) answered / sent;
        if (runs == 0) {
            return 100 * thisRun;
        }
        int window = Math.min(8, runs);
        double earlier = (double) Integer.bitCount(runReach & ((1 << window) - 1)) / window;
        return 100 * (thisRun + earlier) / 2;
    }

    /** Stratum score. */
    public static double stratum(int stratum) {
        if (stratum < 1 || stratum > 15) {
            return 0;
        }
        return 100 - (stratum - 1) * (100.0 / 14);
    }

    /** Latency score from the round-trip delay. */
    public static double latency(long delayNanos) {
        double ms = Math.max(0, delayNanos) / MS;
        if (ms <= 10) {
            return 100;
        }
        if (ms >= 250) {
            return 0;
        }
        return 100 * (250 - ms) / 240;
    }
}
