package io.timesync.app.format;

import java.util.Locale;

/** Formats nanosecond quantities for people, in the largest unit that keeps them readable. */
public final class Nanos {

    private Nanos() {
    }

    /** e.g. {@code 12.345 us}, {@code 1.500 s}, {@code 87 ns}; with a leading sign when {@code signed}. */
    public static String human(long nanos, boolean signed) {
        String sign = signed ? (nanos < 0 ? "-" : "+") : (nanos < 0 ? "-" : "");
        double abs = Math.abs((double) nanos);
        if (abs < 1_000) {
            return sign + Math.abs(nanos) + " ns";
        }
        if (abs < 1_000_000) {
            return sign + String.format(Locale.ROOT, "%.3f us", abs / 1e3);
        }
        if (abs < 1_000_000_000) {
            return sign + String.format(Locale.ROOT, "%.3f ms", abs / 1e6);
        }
        return sign + String.format(Locale.ROOT, "%.3f s", abs / 1e9);
    }
}
