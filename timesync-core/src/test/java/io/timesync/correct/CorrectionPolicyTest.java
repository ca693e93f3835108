package io.timesync.correct;

import io.timesync.api.Mode;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.CorrectionPolicy.Kind;
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
