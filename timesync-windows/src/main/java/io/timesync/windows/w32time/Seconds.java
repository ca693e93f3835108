package io.timesync.windows.w32time;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seconds as w32tm prints them ({@code 0.0154902s}, {@code -0.0038147s}, {@code +00.0009583s}) and as
 * a German or French number format would ({@code 0,0336332s}), to nanoseconds, exactly.
 */
final class Seconds {

    private static final Pattern NUMBER = Pattern.compile("([+-]?\\d+(?:[.,]\\d+)?)\\s*s?");

    private Seconds() {
    }

    /**
     * The nanoseconds of the first number in {@code text}.
     *
     * @throws IllegalArgumentException when there is no number
     */
    static long nanos(String text) {
        Matcher m = NUMBER.matcher(text.trim());
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not a number of seconds: '" + text.strip() + "'");
        }
        return new BigDecimal(m.group(1).replace(',', '.')).movePointRight(9).setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }
}
