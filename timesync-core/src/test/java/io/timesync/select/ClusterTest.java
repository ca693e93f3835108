package io.timesync.select;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The cluster algorithm: the farthest offset set aside while the survivors' own jitter cannot explain it, never below three. */
class ClusterTest {

    private static final long MS = 1_000_000L;

    @Test
    void anOffsetHalfAnAsymmetryAwayIsSetAsideFirst() {
        // Four agree within a millisecond; one is 13.5 ms off, as an asymmetric path makes it.
        long[] offsets = {0, MS / 2, -MS / 2, 13_500_000, MS / 4};
        long[] jitters = {100_000, 200_000, 300_000, 200_000, 100_000};
        // Then the farthest of the rest (-0.5 ms), until three remain.
        assertThat(Cluster.survivors(offsets, jitters)).containsExactly(true, true, false, false, true);
    }

    @Test
    void survivorsWhoseJitterExplainsTheirSpreadAreAllKept() {
        long[] offsets = {0, MS, -MS, 2 * MS};
        long[] jitters = {3 * MS, 3 * MS, 3 * MS, 3 * MS};
        assertThat(Cluster.survivors(offsets, jitters)).containsExactly(true, true, true, true);
    }

    @Test
    void neverFewerThanThreeAndNothingToDoForThreeOrFewer() {
        assertThat(Cluster.survivors(new long[] {0, 100 * MS, -100 * MS, 5 * MS}, new long[4]))
                .containsOnlyOnce(false);
        assertThat(Cluster.survivors(new long[] {0, 100 * MS, -100 * MS}, new long[3])).containsExactly(true, true, true);
        assertThat(Cluster.survivors(new long[0], new long[0])).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> Cluster.survivors(new long[2], new long[1]));
    }
}
