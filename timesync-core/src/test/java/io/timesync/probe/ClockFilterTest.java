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
    void minimumDelaySampleGivesTheOffset() {
        Estimate e = ClockFilter.estimate(List.of(sample(500, 9_000), sample(100, 1_000), sample(300, 5_000)));
        assertThat(e.offsetNanos()).isEqualTo(100);
        assertThat(e.delayNanos()).isEqualTo(1_000);
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
        assertThat(e.offsetNanos()).isZero();
        assertThat(e.sampleCount()).isEqualTo(8);
    }

    @Test
    void theErrorBoundIsTheBestSamplesAgedToTheNewestWithoutTheMinimumDispersion() {
        // Best: 1 ms round trip at t4 = 0; root delay 200 us, root dispersion 50 us, precision 2^-20 s.
        Sample best = new Sample(-1_000_000, 0, 0, 0, 10, 1_000_000, 2, Leap.NONE, -20, 6, 200_000, 50_000, 0);
        Sample later = new Sample(3_999_000_000L, 0, 0, 4_000_000_000L, 90, 2_000_000, 2, Leap.NONE, -20, 6, 200_000, 50_000, 0);
        Estimate e = ClockFilter.estimate(List.of(best, later));
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
        assertThat(recent.offsetNanos()).isEqualTo(-40_000);
        assertThat(recent.bestAgeNanos()).isEqualTo(2 * second);
        assertThat(recent.errorBoundNanos()).isEqualTo(polled(-40_000, 200_000, 0).errorBoundNanos(2 * second));
    }

    @Test
    void agesCountToTheTimeAskedForAndNeverBelowZero() {
        Sample s = polled(5, 1_000, 1_000_000_000L);
        assertThat(ClockFilter.estimate(List.of(s), 3_000_000_000L).bestAgeNanos()).isEqualTo(2_000_000_000L);
        assertThat(ClockFilter.estimate(List.of(s), 0).bestAgeNanos()).isZero();
        assertThat(ClockFilter.estimate(List.of(), 0)).isNull();
    }
}
