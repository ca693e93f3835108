package io.timesync.agent;

import io.timesync.time.Mode;
import io.timesync.memo.DecisionRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedDecisionsTest {

    RepeatedDecisions decisions = new RepeatedDecisions(Mode.FAST);

    static DecisionRecord failed(long skew, long at) {
        return DecisionRecord.of(DecisionRecord.Action.FAILED, skew, at, "chronyc failed");
    }

    @Test
    void aFailureForAboutTheSameSkewRepeatsTheOneBefore() {
        assertThat(decisions.repeats(failed(20_000_000, 1), null)).isFalse();
        assertThat(decisions.repeats(failed(20_100_000, 2), null)).isTrue();
        assertThat(decisions.repeats(failed(60_000_000, 3), null)).isFalse();
    }

    @Test
    void theMemosNewerDecisionCounts() {
        assertThat(decisions.repeats(failed(20_000_000, 1), null)).isFalse();

        assertThat(decisions.repeats(failed(20_000_000, 3),
                DecisionRecord.of(DecisionRecord.Action.SLEW, 20_000_000, 2, "slewed"))).isFalse();
    }

    @Test
    void aCorrectionIsNeverARepeat() {
        DecisionRecord slew = DecisionRecord.of(DecisionRecord.Action.SLEW, 20_000_000, 1, "slewed");

        assertThat(decisions.repeats(slew, slew)).isFalse();
    }
}
