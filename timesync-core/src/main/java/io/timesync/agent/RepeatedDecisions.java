package io.timesync.agent;

import io.timesync.time.Mode;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.memo.DecisionRecord;

import java.util.Objects;

/**
 * Tells a refusal or failure that repeats the one before it, for about the same skew, from a new
 * one, so that a repeat is reported as one. The last decision is kept here too, so a repeat is seen
 * as one also when the memo could not be written. Not thread-safe: one cycle at a time uses it.
 */
final class RepeatedDecisions {

    private final Mode mode;
    private DecisionRecord last;

    /** @param mode what "about the same skew" means ({@link CorrectionPolicy#aboutTheSame}) */
    RepeatedDecisions(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * Remembers {@code decided} and says whether it repeats the newer of the last decision seen here
     * and {@code inMemo} (the memo's last decision, or null).
     */
    boolean repeats(DecisionRecord decided, DecisionRecord inMemo) {
        DecisionRecord previous = latest(last, inMemo);
        last = decided;
        boolean reportable = decided.action().equals(DecisionRecord.Action.REFUSED.label())
                || decided.action().equals(DecisionRecord.Action.FAILED.label());
        return reportable && previous != null && previous.action().equals(decided.action())
                && CorrectionPolicy.aboutTheSame(mode, decided.skewNanos(), previous.skewNanos());
    }

    private static DecisionRecord latest(DecisionRecord a, DecisionRecord b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.atUnixNanos() >= b.atUnixNanos() ? a : b;
    }
}
