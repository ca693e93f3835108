package io.timesync.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class NanosTextTest {

    @ParameterizedTest
    @CsvSource({"0,true,+0 ns", "0,false,0 ns", "-87,true,-87 ns", "999,false,999 ns", "1000,false,1.000 us",
        "12345,true,+12.345 us", "12345,false,12.345 us", "-12005,false,-12.005 us", "999999,false,999.999 us", "1000000,false,1.000 ms",
        "1234499,false,1.234 ms", "1234500,false,1.235 ms", "-1500000,true,-1.500 ms", "999999499,false,999.999 ms",
        "999999500,false,1000.000 ms", "2500000000,false,2.500 s", "2000499999,false,2.000 s", "2000500000,false,2.001 s",
        "-9223372036854775808,true,-9223372036.855 s", "9223372036854775807,true,+9223372036.855 s"})
    void writesTheLargestReadableUnitToThreeDecimalsRoundedHalfUp(long nanos, boolean signed, String text) {
        assertThat(NanosText.of(nanos, signed)).isEqualTo(text);
    }

    @Test
    void readsAsFormattingTheQuotientToThreeDecimalsDoesWhereTheQuotientIsNotAHalf() {
        // Values a few units off every half: the double quotient of String.format then rounds the same way.
        for (long nanos = 1_000; nanos < 100_000_000_000L; nanos = nanos * 7 + 3) {
            double abs = nanos;
            String expected = abs < 1e6 ? String.format(Locale.ROOT, "%.3f us", abs / 1e3)
                    : abs < 1e9 ? String.format(Locale.ROOT, "%.3f ms", abs / 1e6)
                    : String.format(Locale.ROOT, "%.3f s", abs / 1e9);
            assertThat(NanosText.of(nanos, false)).as("%d ns", nanos).isEqualTo(expected);
        }
    }
}
