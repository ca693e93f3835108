package io.timesync.select;

import java.util.Arrays;

/**
 * The cluster algorithm of RFC 5905 §11.2.2: among the truechimers, sets aside one by one the
 * survivor whose offset lies farthest from the others' (the largest selection jitter: the RMS of the
 * differences between its offset and theirs), while that exceeds the smallest peer jitter (no
 * survivor's own scatter explains it) and more than {@link #MIN_SURVIVORS} remain.
 *
 * <p>The intersection keeps every server whose interval touches the majority's; this keeps the ones
 * that agree most closely. A server behind an asymmetric path is off by half the asymmetry, which no
 * client can see in its samples and its wide interval hides, but its offset stands apart from those of
 * servers on better paths.
 *
 * <p>Pure; works on primitive arrays in nanoseconds.
 */
public final class Cluster {

    /** Never fewer survivors than this (RFC 5905's NMIN): three can still outvote one. */
    public static final int MIN_SURVIVORS = 3;

    private Cluster() {
    }

    /**
     * Runs the algorithm.
     *
     * @param offsets each truechimer's offset
     * @param jitters each truechimer's peer jitter (its samples' scatter, at least its precision)
     * @return for each, whether it stays; the others are set aside, farthest first
     */
    public static boolean[] survivors(long[] offsets, long[] jitters) {
        int n = offsets.length;
        if (jitters.length != n) {
            throw new IllegalArgumentException("offsets and jitters differ in length");
        }
        boolean[] kept = new boolean[n];
        Arrays.fill(kept, true);
        int left = n;
        while (left > MIN_SURVIVORS) {
            int farthest = -1;
            double largest = -1;
            double smallestPeer = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if (!kept[i]) {
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    if (kept[j]) {
                        double d = (double) offsets[i] - offsets[j];
                        sum += d * d;
                    }
                }
                double selectionJitter = Math.sqrt(sum / (left - 1));
                if (selectionJitter > largest) {
                    largest = selectionJitter;
                    farthest = i;
                }
                smallestPeer = Math.min(smallestPeer, Math.max(0, jitters[i]));
            }
            if (largest <= smallestPeer) {
                break;
            }
            kept[farthest] = false;
            left--;
        }
        return kept;
    }
}
