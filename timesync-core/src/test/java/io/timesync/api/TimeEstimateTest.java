package io.timesync.api;

import io.timesync.ntp.Leap;
import io.timesync.time.Estimate;
import io.timesync.time.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The combination of the selected servers' estimates and its error bound. */
class TimeEstimateTest {

    private static final long SECOND = 1_000_000_000L;

    /**
     * A server's estimate whose best sample, taken {@code bestAgeNanos} before the filter's newest at
     * t4 = 0, measured {@code offsetNanos} over 1 ms, root delay 200 us, root dispersion 50 us,
     * precision 2^-20 s (954 ns).
     */
    private static Estimate estimate(long offsetNanos, long bestAgeNanos) {
        Sample best = new Sample(-1_000_000 - bestAgeNanos, 0, 0, -bestAgeNanos, offsetNanos, 1_000_000, 2, Leap.NONE,
                -20, 6, 200_000, 50_000, 0);
        return new Estimate(best, offsetNanos, 1_000_000, 0, 4, bestAgeNanos, best.errorBoundNanos(bestAgeNanos));
    }

    @Test
    void oneServersBoundIsItsErrorBoundAgedToTheEstimatesTime() {
        TimeEstimate e = TimeEstimate.combine(List.of(estimate(7_000, 0)), List.of("a:123"), 2 * SECOND, List.of());
        assertThat(e.offsetNanos()).isEqualTo(7_000);
        // 500 + 100 + 50 + 0.954 + 1 (local reads) us, and 15 ppm of (1 ms + 2 s) = 30.015 us.
        assertThat(e.errorBoundNanos()).isEqualTo(681_969L);
        assertThat(e.server()).isEqualTo("a:123");
        assertThat(e.stratum()).isEqualTo(2);
        assertThat(e.atUnixNanos()).isEqualTo(2 * SECOND);
    }

    @Test
    void theBestSamplesAgeInItsFilterCountsToo() {
        // Best sample 3 s before the newest, the estimate 2 s after it: 5 s of 15 ppm.
        TimeEstimate e = TimeEstimate.combine(List.of(estimate(0, 3 * SECOND)), List.of("a:123"), 2 * SECOND, List.of());
        assertThat(e.errorBoundNanos()).isEqualTo(651_954L + 15L + 75_000L);
    }

    @Test
    void theCombinationWidensThePrimarysBoundByHowFarItMovedFromThePrimary() {
        // Equal root distances: equal weights, the combined offset is the mean.
        TimeEstimate e = TimeEstimate.combine(List.of(estimate(0, 0), estimate(1_000_000, 0), estimate(-400_000, 0)),
                List.of("a:123", "b:123", "c:123"), 0, List.of());
        assertThat(e.offsetNanos()).isEqualTo(200_000);
        assertThat(e.errorBoundNanos()).isEqualTo(651_954L + 15L + 200_000L);
        assertThat(e.selected()).containsExactly("a:123", "b:123", "c:123");
        // The primary's interval widened by the move holds every point the primary's own interval holds.
        long primaryBound = estimate(0, 0).errorBoundNanos();
        assertThat(e.offsetNanos() - e.errorBoundNanos()).isLessThanOrEqualTo(-primaryBound);
        assertThat(e.offsetNanos() + e.errorBoundNanos()).isGreaterThanOrEqualTo(primaryBound);
    }

    @Test
    void aServerWithAShorterRootDistanceWeighsMore() {
        Sample near = new Sample(-1_000_000, 0, 0, 0, 0, 1_000_000, 1, Leap.NONE, -20, 6, 0, 0, 0);
        Sample far = new Sample(-1_000_000, 0, 0, 0, 3_000_000, 1_000_000, 1, Leap.NONE, -20, 6, 0, 10_000_000, 0);
        TimeEstimate e = TimeEstimate.combine(List.of(new Estimate(near, 0, 1_000_000, 0, 1),
                new Estimate(far, 3_000_000, 1_000_000, 0, 1)), List.of("near:123", "far:123"), 0, List.of());
        // Weights 1 / 5.001 ms and 1 / 15.001 ms (RFC 5905's root distances, with their 10 ms floor).
        assertThat(e.offsetNanos()).isBetween(740_000L, 760_000L);
        assertThat(e.errorBoundNanos()).isEqualTo(near.errorBoundNanos(0) + e.offsetNanos());
    }

    @Test
    void laterTheBoundGrowsByTheFrequencyToleranceAndSaturates() {
        TimeEstimate e = TimeEstimate.combine(List.of(estimate(0, 0)), List.of("a:123"), 0, List.of());
        assertThat(e.errorBoundNanos(10 * SECOND)).isEqualTo(e.errorBoundNanos() + 150_000L);
        assertThat(e.errorBoundNanos(-SECOND)).isEqualTo(e.errorBoundNanos());
        TimeEstimate wide = new TimeEstimate(0, Long.MAX_VALUE - 10, "a:123", 2, 0, List.of("a:123"), List.of());
        assertThat(wide.errorBoundNanos(SECOND)).isEqualTo(Long.MAX_VALUE);
    }
}
