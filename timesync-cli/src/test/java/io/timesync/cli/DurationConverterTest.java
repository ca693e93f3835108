package io.timesync.cli;

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
        "1m,60000000000", "1h,3600000000000", "PT0.25S,250000000", "0s,0"})
    void parses(String text, long nanos) {
        assertThat(converter.convert(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "s", "-1s", "1.5ns", "2 days", "PTxS"})
    void rejects(String text) {
        assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
