package io.timesync.probe;

import io.timesync.time.Estimate;
import io.timesync.time.Sample;
import io.timesync.ntp.Leap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClockFilterTest {

    private static Sample sample(long offset, long delay) {
        return new Sample(0, 0, 0, delay, offset, delay, 2, Leap.NONE, -20, 6, 0, 0, 0);
    }

    @Test
    void noSamplesNoEstimate() {
        assertThat(ClockFilter.estimate(List.of())).isNull();
    }

    @Test
    void theLeastDelaySampleIsTheBestAndTheOthersCountByHowCloseTheirDistanceIs() {
        Estimate e = ClockFilter.estimate(List.of(sample(500, 9_000), sample(100, 1_000), sample(300, 5_000)));
        assertThat(e.best().offsetNanos()).isEqualTo(100);
        assertThat(e.delayNanos()).isEqualTo(1_000);
        // Distances 500, 2500 and 4500 ns plus 954 ns of precision each: s = 1454 / 16 + 1000 = 1091 ns,
        // so the weights are 1, 1 / (1 + 2000 / 1091)^2 = 0.125 and 1 / (1 + 4000 / 1091)^2 = 0.046:
        // (100 + 0.125 * 300 + 0.046 * 500) / 1.171 = 137 ns.
        assertThat(e.offsetNanos()).isEqualTo(137);
        // RMS of (400, 0, 200) over n - 1 = 2: sqrt((160000 + 40000) / 2) = 316.2
        assertThat(e.jitterNanos()).isEqualTo(316);
        assertThat(e.sampleCount()).isEqualTo(3);
    }

    @Test
    void singleSampleHasNoJitter() {
        assertThat(ClockFilter.estimate(List.of(sample(7, 8))).jitterNanos()).isZero();
    }

    @Test
    void onlyTheLastEightSamplesCount() {
        List<Sample> samples = new ArrayList<>();
        samples.add(sample(-1_000_000, 1));
        for (int i = 0; i < 8; i++) {
            samples.add(sample(i, 100 + i));
        }
        Estimate e = ClockFilter.estimate(samples);
        // Eight samples of almost the same delay count alike; the ninth, a millisecond off, not at all.
        assertThat(e.offsetNanos()).isBetween(0L, 7L);
        assertThat(e.best().offsetNanos()).isZero();
        assertThat(e.sampleCount()).isEqualTo(8);
    }

    @Test
    void theErrorBoundIsTheSamplesAgedToTheEstimateWithoutTheMinimumDispersion() {
        // 1 ms round trip at t4 = 0; root delay 200 us, root dispersion 50 us, precision 2^-20 s.
        Sample best = new Sample(-1_000_000, 0, 0, 0, 10, 1_000_000, 2, Leap.NONE, -20, 6, 200_000, 50_000, 0);
        Estimate e = ClockFilter.estimate(List.of(best), 4_000_000_000L);
        assertThat(e.best()).isEqualTo(best);
        assertThat(e.bestAgeNanos()).isEqualTo(4_000_000_000L);
        // 500 + 100 + 50 + 0.954 (2^-20 s) + 1 (local reads) + 15 ppm of (1 ms + 4 s) = 60.015 us: 711.969 us.
        assertThat(e.errorBoundNanos()).isEqualTo(711_969L);
        // Far below RFC 5905's root distance, which never goes under 10 ms / 2.
        assertThat(e.rootDistanceNanos()).isGreaterThan(5_000_000L);
        // Ten seconds later it has grown by 15 ppm of 10 s.
        assertThat(e.errorBoundNanos(10_000_000_000L)).isEqualTo(711_969L + 150_000L);
        assertThat(e.errorBoundNanos(-5)).isEqualTo(e.errorBoundNanos());
    }
    private static Sample polled(long offset, long delay, long t4) {
        return new Sample(t4 - delay, 0, 0, t4, offset, delay, 2, Leap.NONE, -20, 6, 0, 0, 0);
    }

    @Test
    void anOldSampleIsAgedByTheFrequencyToleranceSoAFreshOneOfSlightlyLongerDelayWins() {
        long second = 1_000_000_000L;
        // 7 s old with 100 us less delay: 50 us less half-delay, 105 us more aging than the fresh one.
        Sample old = polled(-40_000, 200_000, 0);
        Sample fresh = polled(10_000, 300_000, 7 * second);
        Estimate e = ClockFilter.estimate(List.of(old, fresh), 7 * second);
        assertThat(e.best()).isEqualTo(fresh);
        assertThat(e.bestAgeNanos()).isZero();
        // Only 2 s old, the smaller delay still wins, aged to now.
        Estimate recent = ClockFilter.estimate(List.of(polled(-40_000, 200_000, 5 * second), fresh), 7 * second);
        assertThat(recent.best().offsetNanos()).isEqualTo(-40_000);
        assertThat(recent.bestAgeNanos()).isEqualTo(2 * second);
        // The fresh sample is 20 us farther: s = 131 / 16 + 1 = 9.2 us, weight 1 / (1 + 20 / 9.2)^2 = 0.1.
        assertThat(recent.offsetNanos()).isBetween(-40_000L, -33_000L);
        assertThat(recent.errorBoundNanos()).isBetween(polled(-40_000, 200_000, 0).errorBoundNanos(2 * second),
                fresh.errorBoundNanos(0));
    }

    @Test
    void agesCountToTheTimeAskedForAndNeverBelowZero() {
        Sample s = polled(5, 1_000, 1_000_000_000L);
        assertThat(ClockFilter.estimate(List.of(s), 3_000_000_000L).bestAgeNanos()).isEqualTo(2_000_000_000L);
        assertThat(ClockFilter.estimate(List.of(s), 0).bestAgeNanos()).isZero();
        assertThat(ClockFilter.estimate(List.of(), 0)).isNull();
    }

    @Test
    void theCombinedOffsetStaysWithinTheCombinedBoundOnAnyPath() {
        // Honest server, true offset 0: each sample is off by half its path's asymmetry.
        java.util.SplittableRandom random = new java.util.SplittableRandom(5905);
        for (int run = 0; run < 10_000; run++) {
            List<Sample> samples = new ArrayList<>();
            int n = 1 + random.nextInt(ClockFilter.SIZE);
            for (int i = 0; i < n; i++) {
                long out = 10_000 + random.nextLong(5_000_000) + (random.nextInt(4) == 0 ? random.nextLong(50_000_000) : 0);
                long back = 10_000 + random.nextLong(5_000_000) + (random.nextInt(4) == 0 ? random.nextLong(50_000_000) : 0);
                long t4 = i * 1_000_000_000L;
                samples.add(new Sample(t4 - out - back, 0, 0, t4, (out - back) / 2, out + back, 2, Leap.NONE, -20, 6, 0, 0, 0));
            }
            Estimate e = ClockFilter.estimate(samples, n * 1_000_000_000L);
            assertThat(Math.abs(e.offsetNanos())).as("run %d: %s", run, samples).isLessThanOrEqualTo(e.errorBoundNanos());
        }
    }

    @Test
    void aSampleFarBeyondTheBestOnesDistanceDoesNotCountAtAll() {
        // After a route change: 20 ms more each way, and the offset 20 ms off with it.
        Estimate e = ClockFilter.estimate(List.of(sample(100, 21_000_000), sample(20_000_100, 61_000_000),
                sample(20_000_100, 61_000_000)));
        assertThat(e.offsetNanos()).isEqualTo(100);
        assertThat(e.errorBoundNanos()).isEqualTo(e.best().errorBoundNanos(e.bestAgeNanos()));
    }
}
