package io.timesync.memo;

import java.util.Locale;
import java.util.Objects;

/**
 * What the agent last decided about the clock, for {@code timesync status}.
 *
 * @param action      what it did: {@code none}, {@code slew}, {@code step}, {@code refused} or {@code failed}
 * @param skewNanos   the skew decided on (reference − local)
 * @param atUnixNanos when
 * @param reason      why, for people
 */
public record DecisionRecord(String action, long skewNanos, long atUnixNanos, String reason) {

    /** The actions. */
    public enum Action {
        /** Nothing needed (within the threshold, or the correction already made). */
        NONE,
        /** The service slews the clock. */
        SLEW,
        /** The service steps the clock. */
        STEP,
        /** Beyond the panic bound: nothing done. */
        REFUSED,
        /** The correction could not be planned or applied; what was changed was restored. */
        FAILED;

        /** The name stored and shown. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks. */
    public DecisionRecord {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }

    /** A record of {@code action}. */
    public static DecisionRecord of(Action action, long skewNanos, long atUnixNanos, String reason) {
        return new DecisionRecord(action.label(), skewNanos, atUnixNanos, reason);
    }
}
