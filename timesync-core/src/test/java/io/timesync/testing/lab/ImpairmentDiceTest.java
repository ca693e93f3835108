package io.timesync.testing.lab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fates a path deals: replayed by the seed, the route change from its time on, bad profiles refused. */
class ImpairmentDiceTest {

    private static final PathImpairment EVERYTHING = PathImpairment.fixed(1_000_000).withJitter(500_000)
            .withBursts(0.3, 2_000_000).withLoss(0.1).withDuplication(0.1).withReorder(0.1);

    @Test
    void theSameSeedDealsTheSameFates() {
        assertThat(fates(EVERYTHING, 7)).isEqualTo(fates(EVERYTHING, 7)).isNotEqualTo(fates(EVERYTHING, 8));
    }

    @Test
    void theRouteChangeAddsItsStepFromItsTimeOn() {
        PathImpairment path = PathImpairment.fixed(10_000_000).withStep(3_000_000_000L, 40_000_000);
        ImpairmentDice dice = new ImpairmentDice(path, 1);
        assertThat(dice.next(2_999_999_999L).delayNs()).isEqualTo(10_000_000);
        assertThat(dice.next(3_000_000_000L).delayNs()).isEqualTo(50_000_000);
    }

    @Test
    void everyNamedProfileExistsAndAnUnknownOneIsNamedInTheError() {
        assertThat(ImpairmentProfile.names()).contains("lan", "continental", "intercontinental-loss", "asymmetric",
                "bufferbloat", "route-change");
        assertThatThrownBy(() -> ImpairmentProfile.named("wan")).hasMessageContaining("'wan'").hasMessageContaining("lan");
        assertThatThrownBy(() -> PathImpairment.fixed(0).withLoss(1.5)).hasMessageContaining("1.5");
    }

    private static List<Fate> fates(PathImpairment path, long seed) {
        ImpairmentDice dice = new ImpairmentDice(path, seed);
        List<Fate> fates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fates.add(dice.next(i * 1_000_000L));
        }
        return fates;
    }
}
