package io.timesync.app.format;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NanosTest {

    @ParameterizedTest
    @CsvSource({"0,true,+0 ns", "-87,true,-87 ns", "12345,true,+12.345 us", "12345,false,12.345 us",
        "-1500000,true,-1.500 ms", "2500000000,false,2.500 s", "999,false,999 ns"})
    void formatsInTheLargestReadableUnit(long nanos, boolean signed, String text) {
        assertThat(Nanos.human(nanos, signed)).isEqualTo(text);
    }
}
