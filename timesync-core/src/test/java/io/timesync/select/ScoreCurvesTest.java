package io.timesync.select;

import org.junit.jupiter.api.Test;

import static io.timesync.select.Synthetic.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScoreCurvesTest {

    @Test
    void jitterIsExcellentBelowOneMillisecondAndPoorFromTen() {
        assertThat(ScoreCurves.jitter(0)).isEqualTo(100);
        assertThat(ScoreCurves.jitter(MS)).isEqualTo(100);
        assertThat(ScoreCurves.jitter(MS + 1)).isLessThan(100).isGreaterThan(99.99);
        assertThat(ScoreCurves.jitter(2 * MS)).isCloseTo(69.9, within(0.1));
        assertThat(ScoreCurves.jitter(5 * MS)).isCloseTo(30.1, within(0.1));
        assertThat(ScoreCurves.jitter(10 * MS)).isZero();
        assertThat(ScoreCurves.jitter(1000 * MS)).isZero();
    }

    @Test
    void reachabilityBlendsThisRunWithEarlierRuns() {
        assertThat(ScoreCurves.reach(4, 4, 0, 0)).isEqualTo(100);
        assertThat(ScoreCurves.reach(2, 4, 0, 0)).isEqualTo(50);
        assertThat(ScoreCurves.reach(0, 4, 0, 0)).isZero();
        assertThat(ScoreCurves.reach(4, 4, 0b1111_1111, 20)).isEqualTo(100);
        assertThat(ScoreCurves.reach(4, 4, 0b0000_0000, 20)).isEqualTo(50);
        assertThat(ScoreCurves.reach(4, 4, 0b1, 2)).isEqualTo(75);
        assertThat(ScoreCurves.reach(0, 0, 0, 0)).isZero();
    }

    @Test
    void stratumFallsLinearly() {
        assertThat(ScoreCurves.stratum(1)).isEqualTo(100);
        assertThat(ScoreCurves.stratum(2)).isCloseTo(92.86, within(0.01));
        assertThat(ScoreCurves.stratum(3)).isCloseTo(85.71, within(0.01));
        assertThat(ScoreCurves.stratum(15)).isCloseTo(0, within(1e-9));
        assertThat(ScoreCurves.stratum(0)).isZero();
        assertThat(ScoreCurves.stratum(16)).isZero();
    }

    @Test
    void latencyIsFullUpToTenMillisecondsAndZeroFrom250() {
        assertThat(ScoreCurves.latency(10 * MS)).isEqualTo(100);
        assertThat(ScoreCurves.latency(130 * MS)).isEqualTo(50);
        assertThat(ScoreCurves.latency(250 * MS)).isZero();
        assertThat(ScoreCurves.latency(-5)).isEqualTo(100);
    }
}
