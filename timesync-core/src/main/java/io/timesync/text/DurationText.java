package io.timesync.text;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations in messages and help as people write them, and as the command line's duration options read
 * them back: {@code 1h}, {@code 1h30m}, {@code 1m30s}, {@code 5s}, {@code 1.5s}, {@code 250ms},
 * {@code 12.5us}, {@code 87ns}, {@code -2s}. Whole hours and minutes, then seconds with their fraction;
 * under a second, the largest of ms, us and ns that keeps a number above 1. Never ISO-8601's
 * {@code PT1H}, which reads as a code rather than a time.
 */
public final class DurationText {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private DurationText() {
    }

    /** {@code duration} as people write it. */
    public static String of(Duration duration) {
        if (duration.isNegative()) {
            return "-" + of(duration.negated());
        }
        if (duration.isZero()) {
            return "0s";
        }
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        if (seconds == 0) {
            return underASecond(nanos);
        }
        StringBuilder text = new StringBuilder();
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (rest > 0 || nanos > 0) {
            text.append(decimal(rest * NANOS_PER_SECOND + nanos, NANOS_PER_SECOND)).append('s');
        }
        return text.toString();
    }

    /** {@code nanos} nanoseconds as people write them. */
    public static String ofNanos(long nanos) {
        return of(Duration.ofNanos(nanos));
    }

    private static String underASecond(int nanos) {
        if (nanos >= 1_000_000) {
            return decimal(nanos, 1_000_000) + "ms";
        }
        if (nanos >= 1_000) {
            return decimal(nanos, 1_000) + "us";
        }
        return nanos + "ns";
    }

    /** {@code value / unit}, exactly, without trailing zeros. */
    private static String decimal(long value, long unit) {
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    }
}
