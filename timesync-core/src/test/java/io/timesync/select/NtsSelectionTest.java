package io.timesync.select;

import io.timesync.memo.Selection;
import io.timesync.time.Measurement;
import io.timesync.memo.Memo;
import io.timesync.select.Decision.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Selection with NTS-authenticated servers: preferred by default, required on demand. */
class NtsSelectionTest {

    private static final long MS = 1_000_000L;
    private static final long NOW = 1_800_000_000_000_000_000L;

    private static Measurement authenticated(Measurement m) {
        return new Measurement(m.server(), m.address(), m.port(), m.sent(), m.reach(), m.samples(), m.failures(),
                m.estimate(), m.error(), true);
    }

    // A plain stratum-1 server that scores better than the stratum-2 NTS server.
    private static final Measurement PLAIN = Synthetic.answered("plain", "10.0.0.1", 0, 2 * MS, 100_000, 1, MS);
    private static final Measurement NTS = authenticated(Synthetic.good("10.0.0.2", MS));
    private static final Measurement PLAIN2 = Synthetic.good("10.0.0.3", 0);

    @Test
    void anAuthenticatedServerIsPrimaryEvenWhenAPlainOneScoresHigher() {
        Decision d = new WeightedScorer(SelectionPolicy.defaults()).decide(List.of(PLAIN, NTS, PLAIN2), Memo.EMPTY, NOW);
        Decision.Verdict plain = verdict(d, "10.0.0.1:123");
        Decision.Verdict nts = verdict(d, "10.0.0.2:123");
        assertThat(plain.score()).isGreaterThan(nts.score());
        assertThat(d.selection().servers()).containsExactly("10.0.0.2:123", "10.0.0.1:123", "10.0.0.3:123");
    }

    @Test
    void anUnauthenticatedPrimaryGivesWayAtOnceDespiteHysteresis() {
        Memo memo = Memo.EMPTY.withSelection(new Selection(List.of("10.0.0.1:123"), null, 0));
        Decision d = new WeightedScorer(SelectionPolicy.defaults()).decide(List.of(PLAIN, NTS, PLAIN2), memo, NOW);
        assertThat(d.selection().servers().get(0)).isEqualTo("10.0.0.2:123");
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.SWITCHED);
    }

    @Test
    void withoutAnyAuthenticatedServerPlainOnesAreSelectedAsBefore() {
        Decision d = new WeightedScorer(SelectionPolicy.defaults()).decide(List.of(PLAIN, PLAIN2), Memo.EMPTY, NOW);
        assertThat(d.selection().servers().get(0)).isEqualTo("10.0.0.1:123");
    }

    @Test
    void requiringAuthenticationRejectsPlainServersWithTheReason() {
        SelectionPolicy policy = SelectionPolicy.defaults().withRequireAuthenticated(true);
        assertThat(policy.withMinScore(50).requireAuthenticated()).isTrue();
        Decision d = new WeightedScorer(policy).decide(List.of(PLAIN, NTS, PLAIN2), Memo.EMPTY, NOW);
        assertThat(d.selection().servers()).containsExactly("10.0.0.2:123");
        assertThat(verdict(d, "10.0.0.1:123").kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(verdict(d, "10.0.0.1:123").reason()).contains("NTS");

        Decision none = new WeightedScorer(policy).decide(List.of(PLAIN, PLAIN2), Memo.EMPTY, NOW);
        assertThat(none.hasSelection()).isFalse();
    }

    @Test
    void aMeasurementWithoutSampleCannotClaimAuthentication() {
        Measurement silent = Synthetic.silent("10.0.0.9");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> authenticated(silent));
    }

    private static Decision.Verdict verdict(Decision d, String key) {
        return d.verdicts().stream().filter(v -> v.key().equals(key)).findFirst().orElseThrow();
    }
}
