package io.timesync.select;

import io.timesync.time.Measurement;
import io.timesync.memo.Memo;
import io.timesync.ntp.KissCode;
import io.timesync.select.Decision.Kind;
import io.timesync.select.Decision.Outcome;
import io.timesync.select.Decision.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.timesync.select.Synthetic.MS;
import static org.assertj.core.api.Assertions.assertThat;

class WeightedScorerTest {

    private static final long NOW = 1_795_300_000_000_000_000L;
    private final WeightedScorer scorer = new WeightedScorer(SelectionPolicy.defaults());

    private static Kind kindOf(Decision d, String key) {
        return d.verdicts().stream().filter(v -> v.key().equals(key)).findFirst().orElseThrow().kind();
    }

    @Test
    void selectsTheBestAndExplainsEveryRejection() {
        List<Measurement> ms = List.of(
                Synthetic.answered("a", "10.0.0.1", 0, 2 * MS, 100_000, 1, MS),
                Synthetic.answered("b", "10.0.0.2", MS, 30 * MS, 3 * MS, 2, MS),
                Synthetic.answered("c", "10.0.0.3", 0, 2 * MS, 100_000, 5, MS),
                Synthetic.answered("d", "10.0.0.4", 0, 2 * MS, 100_000, 2, 2_000 * MS),
                Synthetic.good("10.0.0.5", 3_600_000 * MS),
                Synthetic.silent("10.0.0.6"),
                Synthetic.kissed("10.0.0.7", KissCode.DENY));
        Decision d = scorer.decide(ms, Memo.EMPTY, NOW);
        assertThat(d.outcome()).isEqualTo(Outcome.FIRST_SELECTION);
        assertThat(d.selection().servers()).containsExactly("10.0.0.1:123", "10.0.0.2:123");
        assertThat(d.verdicts().get(0).reason()).startsWith("primary: first selection");
        assertThat(kindOf(d, "10.0.0.3:123")).isEqualTo(Kind.STRATUM);
        assertThat(kindOf(d, "10.0.0.4:123")).isEqualTo(Kind.ROOT_DISTANCE);
        assertThat(kindOf(d, "10.0.0.5:123")).isEqualTo(Kind.FALSETICKER);
        assertThat(kindOf(d, "10.0.0.6:123")).isEqualTo(Kind.UNREACHABLE);
        assertThat(kindOf(d, "10.0.0.7:123")).isEqualTo(Kind.KISS_OF_DEATH);
        Verdict a = d.verdicts().get(0);
        // Jitter, reach, stratum and latency all perfect.
        assertThat(a.score()).isCloseTo(100.0, org.assertj.core.api.Assertions.within(1e-9));
        Verdict b = d.verdicts().get(1);
        assertThat(b.metricScores()).containsEntry(Decision.Metric.STRATUM, 100 - 100.0 / 14);
        assertThat(b.score()).isLessThan(a.score()).isGreaterThan(60);
    }

    @Test
    void anHonestServerWhoseOffsetStandsApartIsAnOutlierAndTheOthersAreSelected() {
        // Behind an asymmetric path: 13.5 ms off, inside its wide interval, scoring as well as the rest.
        List<Measurement> ms = List.of(Synthetic.good("10.0.0.1", 0), Synthetic.good("10.0.0.2", 200_000),
                Synthetic.good("10.0.0.3", -100_000), Synthetic.good("10.0.0.4", 13_500_000));
        Decision d = scorer.decide(ms, Memo.EMPTY, NOW);
        assertThat(d.selection().servers()).containsExactlyInAnyOrder("10.0.0.1:123", "10.0.0.2:123", "10.0.0.3:123");
        assertThat(kindOf(d, "10.0.0.4:123")).isEqualTo(Kind.OUTLIER);
        assertThat(d.verdicts()).filteredOn(v -> v.kind() == Kind.OUTLIER).singleElement()
                .satisfies(v -> assertThat(v.reason()).contains("13.500 ms", "clustering"));
    }

    @Test
    void lowScoresAreNotSelected() {
        Measurement poor = Synthetic.answered("p", "10.0.0.1", 0, 240 * MS, 9 * MS, 3, MS);
        Decision d = scorer.decide(List.of(poor), Memo.EMPTY, NOW);
        assertThat(d.hasSelection()).isFalse();
        assertThat(d.outcome()).isEqualTo(Outcome.NONE_USABLE);
        assertThat(d.verdicts().get(0).kind()).isEqualTo(Kind.LOW_SCORE);
        assertThat(d.verdicts().get(0).reason()).contains("below the minimum 60");
    }

    @Test
    void noMajorityMeansNothingSelected() {
        List<Measurement> ms = List.of(Synthetic.good("10.0.0.1", 0), Synthetic.good("10.0.0.2", 0),
                Synthetic.good("10.0.0.3", 500 * MS), Synthetic.good("10.0.0.4", 1000 * MS),
                Synthetic.good("10.0.0.5", -700 * MS));
        Decision d = scorer.decide(ms, Memo.EMPTY, NOW);
        assertThat(d.outcome()).isEqualTo(Outcome.NO_MAJORITY);
        assertThat(d.hasSelection()).isFalse();
        assertThat(d.verdicts()).extracting(Verdict::kind).containsOnly(Kind.UNCONFIRMED);
        assertThat(d.summary()).contains("no majority");
    }

    @Test
    void smearingServersAreNotMixedWithOthers() {
        List<Measurement> ms = List.of(
                Synthetic.answered("pool.example", "10.0.0.1", 0, 2 * MS, 100_000, 1, MS),
                Synthetic.answered("time.google.com", "10.0.0.2", 0, 3 * MS, 100_000, 1, MS),
                Synthetic.answered("other.example", "10.0.0.3", 0, 4 * MS, 100_000, 1, MS));
        Decision d = scorer.decide(ms, Memo.EMPTY, NOW);
        assertThat(d.selection().servers()).containsExactly("10.0.0.1:123", "10.0.0.3:123");
        assertThat(kindOf(d, "10.0.0.2:123")).isEqualTo(Kind.LEAP_SMEAR_MIX);
    }

    @Test
    void selectsAtMostTheConfiguredNumber() {
        SelectionPolicy two = new SelectionPolicy(0.35, 0.30, 0.25, 0.10, 60, 1, 3, Duration.ofMillis(1500), 15, 2, 2, 3,
                Duration.ofHours(1));
        List<Measurement> ms = List.of(Synthetic.good("10.0.0.1", 0), Synthetic.good("10.0.0.2", 0),
                Synthetic.good("10.0.0.3", 0));
        Decision d = new WeightedScorer(two).decide(ms, Memo.EMPTY, NOW);
        assertThat(d.selection().servers()).hasSize(2);
        assertThat(d.verdicts()).extracting(Verdict::kind).containsExactly(Kind.SELECTED, Kind.SELECTED, Kind.STANDBY);
    }

    @Test
    void nothingMeasuredNothingSelected() {
        Decision d = scorer.decide(List.of(), Memo.EMPTY, NOW);
        assertThat(d.outcome()).isEqualTo(Outcome.NONE_USABLE);
        assertThat(d.hasSelection()).isFalse();
    }
}
