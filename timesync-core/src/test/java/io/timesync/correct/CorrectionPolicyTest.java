package io.timesync.correct;

import io.timesync.time.Estimate;
import io.timesync.time.Mode;
import io.timesync.time.Sample;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.CorrectionPolicy.Kind;
import io.timesync.ntp.Leap;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CorrectionPolicyTest {

    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long NOW = 1_795_300_000L * S;
    private final CorrectionPolicy policy = CorrectionPolicy.defaults();

    private Action decide(Mode mode, long skew) {
        return policy.decide(mode, skew, null, null, NOW);
    }

    @Test
    void eachModeHasItsThreshold() {
        assertThat(decide(Mode.FAST, 100 * US).kind()).isEqualTo(Kind.NONE);
        assertThat(decide(Mode.FAST, 100 * US + 1).kind()).isEqualTo(Kind.SLEW);
        assertThat(decide(Mode.ULTRAFAST, US).kind()).isEqualTo(Kind.NONE);
        assertThat(decide(Mode.ULTRAFAST, -US - 1).kind()).isEqualTo(Kind.SLEW);
        assertThat(decide(Mode.LAZY, MS).kind()).isEqualTo(Kind.NONE);
        assertThat(decide(Mode.LAZY, MS + 1).kind()).isEqualTo(Kind.SLEW);
        assertThat(decide(Mode.FAST, 50 * US).reason()).contains("within the fast threshold of 100.000 us");
    }

    /** A loopback exchange: 120 us round trip, a server of root delay 0, root dispersion 30 us, precision 2^-20 s. */
    private static Estimate loopback(long offset, long jitter) {
        Sample best = new Sample(0, 0, 0, 120 * US, offset, 120 * US, 2, Leap.NONE, -20, 6, 0, 30 * US, 0);
        return new Estimate(best, offset, 120 * US, jitter, 4);
    }

    @Test
    void theUncertaintyIsTheErrorBoundOrThreeTimesTheJitterWhicheverIsLarger() {
        // 120 / 2 + 0 / 2 + 30 + 0.954 (2^-20 s) + 1 (local clock) + 0.0018 (15 ppm of 120 us) = 91.956 us.
        assertThat(CorrectionPolicy.uncertaintyNanos(loopback(0, 10 * US))).isEqualTo(91_956L);
        assertThat(CorrectionPolicy.uncertaintyNanos(loopback(0, 40 * US))).isEqualTo(120 * US);
        Sample remote = new Sample(0, 0, 0, 20 * MS, 0, 20 * MS, 1, Leap.NONE, -25, 6, 2 * MS, 500 * US, 0);
        // 10 ms + 1 ms + 0.5 ms + 0.030 us (2^-25 s) + 1 us + 0.3 us (15 ppm of 20 ms).
        assertThat(CorrectionPolicy.uncertaintyNanos(new Estimate(remote, 0, 20 * MS, 0, 4))).isEqualTo(11_501_330L);
        // A time service's reading: no delay; its root delay and dispersion only.
        Sample reading = new Sample(0, 0, 0, 0, 0, 0, 2, Leap.NONE, -30, 0, 40 * US, 25 * US, 0);
        assertThat(CorrectionPolicy.uncertaintyNanos(new Estimate(reading, 0, 0, 0, 1))).isEqualTo(46 * US + 1);
    }

    @Test
    void aSkewWithinTheMeasurementsUncertaintyIsNotCorrectedInAnyMode() {
        for (long skew : new long[] {5 * US, -22 * US, 90 * US, -90 * US}) {
            long uncertainty = CorrectionPolicy.uncertaintyNanos(loopback(skew, 19 * US));
            for (Mode mode : Mode.values()) {
                Action a = policy.decide(mode, skew, uncertainty, null, null, NOW);
                assertThat(a.kind()).as(mode + " " + skew).isEqualTo(Kind.NONE);
            }
        }
        Action noise = policy.decide(Mode.ULTRAFAST, -22 * US, 90_954L, null, null, NOW);
        assertThat(noise.reason()).isEqualTo("skew -22.000 us is within the measurement's uncertainty of 90.954 us:"
                + " it cannot be told from noise");
        // Beyond both the threshold and the uncertainty: acted on.
        assertThat(policy.decide(Mode.ULTRAFAST, 92 * US, 90_954L, null, null, NOW).kind()).isEqualTo(Kind.SLEW);
        assertThat(policy.decide(Mode.FAST, -92 * US, 90_954L, null, null, NOW).kind()).isEqualTo(Kind.NONE);
        // Jitter of 167 us: three times that is the bound.
        assertThat(policy.decide(Mode.ULTRAFAST, 500 * US, CorrectionPolicy.uncertaintyNanos(loopback(500 * US, 167 * US)),
                null, null, NOW).kind()).isEqualTo(Kind.NONE);
        assertThat(policy.decide(Mode.ULTRAFAST, 502 * US, CorrectionPolicy.uncertaintyNanos(loopback(502 * US, 167 * US)),
                null, null, NOW).kind()).isEqualTo(Kind.SLEW);
        // A step is decided as before when the skew is far beyond the uncertainty.
        assertThat(policy.decide(Mode.LAZY, 5 * S, 1_500 * MS, null, null, NOW).kind()).isEqualTo(Kind.STEP);
    }

    @Test
    void slewBelowOneHundredMillisecondsStepFromThere() {
        Action slew = decide(Mode.FAST, 100 * MS - 1);
        assertThat(slew.kind()).isEqualTo(Kind.SLEW);
        assertThat(slew.nanos()).isEqualTo(100 * MS - 1);
        Action step = decide(Mode.FAST, -100 * MS);
        assertThat(step.kind()).isEqualTo(Kind.STEP);
        assertThat(step.nanos()).isEqualTo(-100 * MS);
    }

    @Test
    void beyondThePanicBoundOnlyWhenAllowed() {
        assertThat(decide(Mode.FAST, 1000 * S).kind()).isEqualTo(Kind.STEP);
        Action refused = decide(Mode.FAST, 1000 * S + 1);
        assertThat(refused.kind()).isEqualTo(Kind.REFUSE);
        assertThat(refused.nanos()).isZero();
        assertThat(refused.reason()).contains("--allow-large-step");
        assertThat(policy.withAllowLargeStep(true).decide(Mode.FAST, -3600 * S, null, null, NOW).kind()).isEqualTo(Kind.STEP);
        assertThat(decide(Mode.FAST, Long.MIN_VALUE).kind()).isEqualTo(Kind.REFUSE);
    }

    @Test
    void aSlewStillInProgressIsNotRepeated() {
        // 20 ms at 500 ppm takes 40 s: 10 s later, 15 ms left of it is not slewed again.
        Action during = policy.decide(Mode.FAST, 15 * MS, 20 * MS, NOW - 10 * S, NOW);
        assertThat(during.kind()).isEqualTo(Kind.NONE);
        assertThat(during.reason()).contains("still in progress");
        // After 40 s it should have finished: what remains is new skew.
        assertThat(policy.decide(Mode.FAST, 15 * MS, 20 * MS, NOW - 41 * S, NOW).kind()).isEqualTo(Kind.SLEW);
        // A larger skew, or one the other way, is not explained by the previous slew.
        assertThat(policy.decide(Mode.FAST, 25 * MS, 20 * MS, NOW - 10 * S, NOW).kind()).isEqualTo(Kind.SLEW);
        assertThat(policy.decide(Mode.FAST, -15 * MS, 20 * MS, NOW - 10 * S, NOW).kind()).isEqualTo(Kind.SLEW);
    }

    @Test
    void aStepTheServiceHasNotReflectedYetIsNotRepeated() {
        Action again = policy.decide(Mode.FAST, 252 * MS, 250 * MS, NOW - 64 * S, NOW);
        assertThat(again.kind()).isEqualTo(Kind.NONE);
        assertThat(again.reason()).contains("has not reflected yet");
        assertThat(policy.decide(Mode.FAST, 240 * MS, 250 * MS, NOW, NOW).kind()).isEqualTo(Kind.NONE);
        // Still there after two of the service's polls: the step did not take, so it is made again.
        assertThat(policy.decide(Mode.FAST, 250 * MS, 250 * MS, NOW - 128 * S, NOW).kind()).isEqualTo(Kind.STEP);
        // A skew of another size, or the other way, is new.
        assertThat(policy.decide(Mode.FAST, 150 * MS, 250 * MS, NOW - 10 * S, NOW).kind()).isEqualTo(Kind.STEP);
        assertThat(policy.decide(Mode.FAST, 400 * MS, 250 * MS, NOW - 10 * S, NOW).kind()).isEqualTo(Kind.STEP);
        assertThat(policy.decide(Mode.FAST, -250 * MS, 250 * MS, NOW - 10 * S, NOW).kind()).isEqualTo(Kind.STEP);
        // A slew of about that size before is no step made.
        assertThat(policy.decide(Mode.FAST, 100 * MS, 95 * MS, NOW - 10 * S, NOW).kind()).isEqualTo(Kind.STEP);
    }

    @Test
    void rejectsInconsistentBounds() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CorrectionPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), false, 500));
        assertThatIllegalArgumentException().isThrownBy(() -> new CorrectionPolicy(Duration.ZERO, Duration.ofSeconds(1), false, 500));
        assertThatIllegalArgumentException().isThrownBy(() -> new CorrectionPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), false, 0));
    }

    @Test
    void skewsOfOneSignWithinATenthPlusTheThresholdAreAboutTheSame() {
        assertThat(CorrectionPolicy.aboutTheSame(Mode.FAST, 2_150 * S, 2_000 * S)).isTrue();
        assertThat(CorrectionPolicy.aboutTheSame(Mode.FAST, 1_850 * S, 2_000 * S)).isTrue();
        assertThat(CorrectionPolicy.aboutTheSame(Mode.FAST, 2_201 * S, 2_000 * S)).isFalse();
        assertThat(CorrectionPolicy.aboutTheSame(Mode.FAST, -2_000 * S, 2_000 * S)).isFalse();
        // The mode's threshold is the floor: 10 us and 50 us are about the same in fast mode (0.1 ms), not in ultrafast (1 us).
        assertThat(CorrectionPolicy.aboutTheSame(Mode.FAST, 50 * US, 10 * US)).isTrue();
        assertThat(CorrectionPolicy.aboutTheSame(Mode.ULTRAFAST, 50 * US, 10 * US)).isFalse();
        assertThat(CorrectionPolicy.aboutTheSame(Mode.FAST, Long.MIN_VALUE, Long.MIN_VALUE + 1)).isTrue();
        assertThat(CorrectionPolicy.aboutTheSame(Mode.FAST, -1, Long.MIN_VALUE)).isFalse();
    }
}
