package io.timesync.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({"PT1H,1h", "PT5S,5s", "PT0.25S,250ms", "PT1H30M,1h30m", "PT1M30S,1m30s", "PT1.5S,1.5s", "PT6H,6h",
        "PT64S,1m4s", "PT25H,25h", "PT1H0.5S,1h0.5s", "PT0S,0s", "PT-2S,-2s", "PT-0.001S,-1ms", "PT0.0015S,1.5ms",
        "PT0.0000125S,12.5us", "PT0.000000087S,87ns", "PT0.123456789S,123.456789ms"})
    void writesDurationsAsPeopleDo(String iso, String text) {
        assertThat(DurationText.of(Duration.parse(iso))).isEqualTo(text);
    }

    @Test
    void nanosecondsToo() {
        assertThat(DurationText.ofNanos(1_000)).isEqualTo("1us");
        assertThat(DurationText.ofNanos(-5_000_000_000L)).isEqualTo("-5s");
    }

    @Test
    void neverIso8601() {
        for (long nanos = 1; nanos < 100_000_000_000_000L; nanos = nanos * 7 + 3) {
            assertThat(DurationText.ofNanos(nanos)).doesNotContain("PT").doesNotContain("pt").doesNotContain(" ");
        }
    }
}
