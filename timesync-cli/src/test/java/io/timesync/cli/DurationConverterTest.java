package io.timesync.cli;

import io.timesync.text.DurationText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"2s,2000000000", "500ms,500000000", "1.5s,1500000000", "250us,250000", "250µs,250000", "7ns,7",
        "1m,60000000000", "1h,3600000000000", "PT0.25S,250000000", "0s,0", "1h30m,5400000000000", "1m4s,64000000000",
        "1h0.5s,3600500000000"})
    void parses(String text, long nanos) {
        assertThat(converter.convert(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "s", "2 days", "PTxS", "1h-5m"})
    void rejects(String text) {
        assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + text + "' is not a duration");
    }

    @Test
    void rejectsAFractionOfANanosecond() {
        assertThatThrownBy(() -> converter.convert("1.5ns")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'1.5ns' is not a whole number of nanoseconds or is too large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT-1S", "-1s", "-PT1S", "-1h30m", "pt-0.5s"})
    void refusesNegativeDurations(String text) {
        assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is negative: give a duration of 0 or more (e.g. 2s, 500ms, 1m)");
    }

    @Test
    void readsBackWhatMessagesPrint() {
        for (long nanos = 0; nanos < 400_000_000_000_000L; nanos = nanos * 13 + 7) {
            Duration d = Duration.ofNanos(nanos);
            assertThat(converter.convert(DurationText.of(d))).as(DurationText.of(d)).isEqualTo(d);
        }
    }
}
