package io.timesync.app.format;

import io.timesync.text.NanosText;

/** Formats nanosecond quantities for people, in the largest unit that keeps them readable. */
public final class Nanos {

    private Nanos() {
    }

    /** e.g. {@code 12.345 us}, {@code 1.500 s}, {@code 87 ns}; with a leading sign when {@code signed}. */
    public static String human(long nanos, boolean signed) {
        return NanosText.of(nanos, signed);
    }
}
