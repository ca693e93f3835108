package io.timesync.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 2s}, {@code 500ms}, {@code 1.5s}, {@code 250us}, {@code 1m}, or ISO-8601 ({@code PT2S}). */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("pt")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(value);
            }
        }
        Matcher m = AMOUNT.matcher(text);
        if (!m.matches()) {
            throw invalid(value);
        }
        BigDecimal nanosPerUnit = switch (m.group(2)) {
            case "ns" -> BigDecimal.ONE;
            case "us", "µs" -> BigDecimal.valueOf(1_000L);
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            default -> BigDecimal.valueOf(3_600_000_000_000L);
        };
        try {
            return Duration.ofNanos(new BigDecimal(m.group(1)).multiply(nanosPerUnit).longValueExact());
        } catch (ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number of nanoseconds or is too large");
        }
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("'" + value + "' is not a duration (expected e.g. 2s, 500ms, 1.5s, 250us, 1m)");
    }
}
