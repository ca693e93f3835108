package io.timesync.select;

import org.junit.jupiter.api.Test;

import static io.timesync.select.Synthetic.MS;
import static org.assertj.core.api.Assertions.assertThat;

/** The falseticker splits chrony's simulations use: 1-2 bad of 5 are found, 3 bad of 5 leave no majority. */
class IntersectionTest {

    private static Intersection.Result run(long[] offsetsMs, long distanceMs) {
        long[] offsets = new long[offsetsMs.length];
        long[] distances = new long[offsetsMs.length];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = offsetsMs[i] * MS;
            distances[i] = distanceMs * MS;
        }
        return Intersection.find(offsets, distances);
    }

    @Test
    void allAgree() {
        Intersection.Result r = run(new long[] {0, 1, -1, 2}, 10);
        assertThat(r.found()).isTrue();
        assertThat(r.truechimers()).containsExactly(true, true, true, true);
        assertThat(r.lowNanos()).isEqualTo(-8 * MS);
        assertThat(r.highNanos()).isEqualTo(9 * MS);
    }

    @Test
    void oneFalsetickerOfFour() {
        Intersection.Result r = run(new long[] {0, 1, 3600_000, -1}, 10);
        assertThat(r.found()).isTrue();
        assertThat(r.truechimers()).containsExactly(true, true, false, true);
    }

    @Test
    void twoFalsetickersOfFive() {
        Intersection.Result r = run(new long[] {250, 0, 2, -500, 1}, 10);
        assertThat(r.found()).isTrue();
        assertThat(r.truechimers()).containsExactly(false, true, true, false, true);
        assertThat(r.lowNanos()).isGreaterThanOrEqualTo(-8 * MS);
        assertThat(r.highNanos()).isLessThanOrEqualTo(10 * MS);
    }

    @Test
    void threeFalsetickersOfFiveLeaveNoMajority() {
        Intersection.Result r = run(new long[] {250, 0, 1000, -500, 1}, 10);
        assertThat(r.found()).isFalse();
        assertThat(r.truechimers()).containsOnly(false);
    }

    @Test
    void twoAgainstTwoHasNoMajority() {
        assertThat(run(new long[] {0, 1, 500, 501}, 10).found()).isFalse();
    }

    @Test
    void aLoneServerIsItsOwnMajority() {
        Intersection.Result r = run(new long[] {42}, 5);
        assertThat(r.found()).isTrue();
        assertThat(r.truechimers()).containsExactly(true);
    }

    @Test
    void anHonestServerWhoseIntervalOnlyJustOverlapsIsKept() {
        // Intervals [-10,10], [5,25], [0,20]: the majority agrees on [5,10]; the first's midpoint is
        // outside it, but its interval overlaps, so it is a truechimer (the reference rule).
        Intersection.Result r = run(new long[] {0, 15, 10}, 10);
        assertThat(r.found()).isTrue();
        assertThat(r.truechimers()).containsExactly(true, true, true);
    }

    @Test
    void nothingToIntersect() {
        assertThat(Intersection.find(new long[0], new long[0]).found()).isFalse();
    }
}
