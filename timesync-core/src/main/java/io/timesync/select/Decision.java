package io.timesync.select;

import io.timesync.memo.Selection;
import io.timesync.time.Measurement;

import java.util.List;
import java.util.Map;

/**
 * What a {@link Scorer} decided, with a verdict and a reason for every candidate, so that a user
 * can see why a server was or was not chosen.
 *
 * @param verdicts  every candidate: the selection first (primary first), then the other survivors by
 *                  score, then the rejected ones
 * @param selection the new selection (empty when nothing may be trusted)
 * @param outcome   what happened to the selection
 * @param summary   one sentence a person can read
 */
public record Decision(List<Verdict> verdicts, Selection selection, Outcome outcome, String summary) {

    /** Copies the list so the record is immutable. */
    public Decision {
        verdicts = List.copyOf(verdicts);
    }

    /** Whether any server was selected. */
    public boolean hasSelection() {
        return !selection.servers().isEmpty();
    }

    /** What happened to the selection. */
    public enum Outcome {
        /** Nothing was selected before; now something is. */
        FIRST_SELECTION,
        /** The current primary is still the best. */
        KEPT,
        /** A better server beat the current one, but not yet for long enough. */
        HELD_BY_HYSTERESIS,
        /** The primary changed. */
        SWITCHED,
        /** No majority of candidates agrees on the time: nothing can be trusted. */
        NO_MAJORITY,
        /** No candidate was usable (unreachable, rejected, blacklisted, low score). */
        NONE_USABLE
    }

    /** The metrics that make up a score. */
    public enum Metric { JITTER, REACHABILITY, STRATUM, LATENCY }

    /** A candidate's verdict. */
    public enum Kind {
        /** In the selection. */
        SELECTED,
        /** A good survivor that is not in the selection (beyond the number selected). */
        STANDBY,
        /** No valid sample. */
        UNREACHABLE,
        /** Sent a Kiss-o'-Death. */
        KISS_OF_DEATH,
        /** Outside the majority's intersection interval (RFC 5905 §11.2.1). */
        FALSETICKER,
        /**
         * Within the majority's interval, but its offset stands apart from the other survivors' by more
         * than their jitter explains (RFC 5905 §11.2.2): set aside while at least three agree more closely.
         */
        OUTLIER,
        /** No majority: cannot be told apart from a falseticker. */
        UNCONFIRMED,
        /** Stratum outside the accepted range. */
        STRATUM,
        /** Root distance above the limit. */
        ROOT_DISTANCE,
        /** The server says it is not synchronised (leap indicator 3). */
        UNSYNCHRONIZED,
        /** Smears leap seconds while the selection does not, or the other way round. */
        LEAP_SMEAR_MIX,
        /** On the blacklist. */
        BLACKLISTED,
        /** Below the minimum score. */
        LOW_SCORE,
        /** Not authenticated with NTS while authentication is required. */
        UNAUTHENTICATED
    }

    /**
     * One candidate's verdict.
     *
     * @param key          the candidate ({@link Measurement#key()})
     * @param measurement  what was measured
     * @param kind         the verdict
     * @param score        weighted total 0-100, or NaN when it was not scored
     * @param metricScores each metric's 0-100 score (empty when not scored)
     * @param reason       why, for people
     */
    public record Verdict(String key, Measurement measurement, Kind kind, double score, Map<Metric, Double> metricScores,
                          String reason) {
        /** Copies the map so the record is immutable. */
        public Verdict {
            metricScores = Map.copyOf(metricScores);
        }

        /** Whether it was scored. */
        public boolean scored() {
            return !Double.isNaN(score);
        }
    }
}
