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
}
