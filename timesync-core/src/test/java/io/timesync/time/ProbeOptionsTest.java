package io.timesync.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProbeOptionsTest {

    @Test
    void defaultsFollowThePoolRules() {
        ProbeOptions d = ProbeOptions.defaults();
        assertThat(d.samples()).isEqualTo(4);
        assertThat(d.spacing()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        ProbeOptions d = ProbeOptions.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> d.withSamples(0)).withMessageContaining("samples");
        assertThatIllegalArgumentException().isThrownBy(() -> d.withSamples(65)).withMessageContaining("samples");
        assertThatIllegalArgumentException().isThrownBy(() -> d.withSpacing(Duration.ofMillis(-1))).withMessageContaining("spacing");
        assertThatIllegalArgumentException().isThrownBy(() -> d.withTimeout(Duration.ZERO)).withMessageContaining("timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> d.withTimeout(Duration.ofMinutes(2))).withMessageContaining("timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> d.withConcurrency(0)).withMessageContaining("concurrency");
    }
}
