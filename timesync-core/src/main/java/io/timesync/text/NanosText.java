package io.timesync.text;

/**
 * Nanosecond quantities for people, in the largest unit that keeps them readable, to three decimals
 * rounded half up: {@code 87 ns}, {@code 12.345 us}, {@code 1.500 ms}, {@code 2.500 s}. Integer
 * arithmetic, not {@code String.format}: a daemon writes several each second.
 */
public final class NanosText {

    private NanosText() {
    }

    /** {@code nanos} in its unit; with a leading {@code +} for a positive or zero value when {@code signed}. */
    public static String of(long nanos, boolean signed) {
        StringBuilder out = new StringBuilder(16);
        if (nanos < 0) {
            out.append('-');
        } else if (signed) {
            out.append('+');
        }
        // Long.MIN_VALUE has no positive counterpart; a nanosecond less is shown the same to three decimals.
        long abs = nanos == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(nanos);
        if (abs < 1_000) {
            return out.append(abs).append(" ns").toString();
        }
        if (abs < 1_000_000) {
            return thousandths(out, abs).append(" us").toString();
        }
        if (abs < 1_000_000_000) {
            return thousandths(out, rounded(abs, 1_000)).append(" ms").toString();
        }
        return thousandths(out, rounded(abs, 1_000_000)).append(" s").toString();
    }

    private static long rounded(long abs, long unit) {
        return abs / unit + (abs % unit >= unit / 2 ? 1 : 0);
    }

    private static StringBuilder thousandths(StringBuilder out, long value) {
        long fraction = value % 1_000;
        out.append(value / 1_000).append('.');
        if (fraction < 100) {
            out.append(fraction < 10 ? "00" : "0");
        }
        return out.append(fraction);
    }
}
