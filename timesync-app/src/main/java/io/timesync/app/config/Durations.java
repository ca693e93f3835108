package io.timesync.app.config;

import io.timesync.text.DurationText;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 2s}, {@code 500ms}, {@code 1.5s}, {@code 250us}, {@code 1m},
 * {@code 1h30m} (the way {@link DurationText} prints them), or ISO-8601 ({@code PT2S}). A negative
 * duration is refused: no setting means a time before now.
 */
public final class Durations {

    private static final String PART = "(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)";
    private static final Pattern AMOUNTS = Pattern.compile("(?:" + PART + "\\s*)+");
    private static final Pattern AMOUNT = Pattern.compile(PART);

    private Durations() {
    }

    /**
     * The duration {@code value} writes.
     *
     * @throws IllegalArgumentException saying what is expected, when it is not a duration or is negative
     */
    public static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Duration duration;
        if (text.startsWith("pt") || text.startsWith("-pt")) {
            try {
                duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(value);
            }
        } else if (text.startsWith("-") && AMOUNTS.matcher(text.substring(1).trim()).matches()) {
            throw negative(value);
        } else {
            duration = amounts(value, text);
        }
        if (duration.isNegative()) {
            throw negative(value);
        }
        return duration;
    }

    private static Duration amounts(String value, String text) {
        if (!AMOUNTS.matcher(text).matches()) {
            throw invalid(value);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = AMOUNT.matcher(text);
        while (m.find()) {
            BigDecimal nanosPerUnit = switch (m.group(2)) {
                case "ns" -> BigDecimal.ONE;
                case "us", "µs" -> BigDecimal.valueOf(1_000L);
                case "ms" -> BigDecimal.valueOf(1_000_000L);
                case "s" -> BigDecimal.valueOf(1_000_000_000L);
                case "m" -> BigDecimal.valueOf(60_000_000_000L);
                default -> BigDecimal.valueOf(3_600_000_000_000L);
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(nanosPerUnit));
        }
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number of nanoseconds or is too large");
        }
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException("'" + value + "' is not a duration (expected e.g. 2s, 500ms, 1.5s, 250us, 1m, 1h30m)");
    }

    private static IllegalArgumentException negative(String value) {
        return new IllegalArgumentException("'" + value + "' is negative: give a duration of 0 or more (e.g. 2s, 500ms, 1m)");
    }
}
