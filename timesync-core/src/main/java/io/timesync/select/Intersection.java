package io.timesync.select;

import java.util.Arrays;

/**
 * The intersection algorithm of RFC 5905 §11.2.1 (after Marzullo): finds the smallest interval
 * that contains points from the correctness intervals {@code [offset − distance, offset + distance]}
 * of a majority of the candidates, allowing for the fewest falsetickers possible. A candidate whose
 * interval misses that intersection is a falseticker (the rule of the reference implementation,
 * which keeps an honest server whose interval only just overlaps the others').
 *
 * <p>Pure; works on primitive arrays in nanoseconds.
 */
public final class Intersection {

    private Intersection() {
    }

    /**
     * The result.
     *
     * @param found       whether a majority agrees
     * @param lowNanos    the intersection's lower end (meaningful when found)
     * @param highNanos   the intersection's upper end (meaningful when found)
     * @param truechimers for each candidate, whether it is a truechimer (all false when not found)
     */
    public record Result(boolean found, long lowNanos, long highNanos, boolean[] truechimers) {
    }

    /**
     * Runs the algorithm.
     *
     * @param offsets   each candidate's offset
     * @param distances each candidate's root distance (non-negative)
     */
    public static Result find(long[] offsets, long[] distances) {
        int n = offsets.length;
        if (distances.length != n) {
            throw new IllegalArgumentException("offsets and distances differ in length");
        }
        boolean[] truechimers = new boolean[n];
        if (n == 0) {
            return new Result(false, 0, 0, truechimers);
        }
        // Edges: value and type (-1 low end, 0 midpoint, +1 high end), sorted by value, low ends
        // before midpoints before high ends on ties so touching intervals count as overlapping.
        long[][] edges = new long[3 * n][];
        for (int i = 0; i < n; i++) {
            long distance = Math.max(0, distances[i]);
            edges[3 * i] = new long[] {offsets[i] - distance, -1};
            edges[3 * i + 1] = new long[] {offsets[i], 0};
            edges[3 * i + 2] = new long[] {offsets[i] + distance, 1};
        }
        Arrays.sort(edges, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int allow = 0; 2 * allow < n; allow++) {
            int found = 0;
            int chime = 0;
            long low = Long.MAX_VALUE;
            for (long[] edge : edges) {
                chime -= (int) edge[1];
                if (chime >= n - allow) {
                    low = edge[0];
                    break;
                }
                if (edge[1] == 0) {
                    found++;
                }
            }
            chime = 0;
            long high = Long.MIN_VALUE;
            for (int i = edges.length - 1; i >= 0; i--) {
                chime += (int) edges[i][1];
                if (chime >= n - allow) {
                    high = edges[i][0];
                    break;
                }
                if (edges[i][1] == 0) {
                    found++;
                }
            }
            if (found > allow) {
                continue;
            }
            if (low <= high) {
                for (int i = 0; i < n; i++) {
                    long distance = Math.max(0, distances[i]);
                    truechimers[i] = offsets[i] + distance >= low && offsets[i] - distance <= high;
                }
                return new Result(true, low, high, truechimers);
            }
        }
        return new Result(false, 0, 0, truechimers);
    }
}
