package io.timesync.select;

import io.timesync.api.Measurement;

import java.util.List;
import java.util.Map;

/**
 * What a {@link Scorer} decided, with the reasons, so that a user can see why a server was or was
 * not chosen.
 *
 * @param ranked    the surviving servers, best score first
 * @param rejected  the servers that were not considered further, each with its reason
 * @param selection the new selection (empty when nothing may be trusted)
 * @param summary   one sentence a person can read
 */
public record Decision(List<Candidate> ranked, List<Rejection> rejected, Selection selection, String summary) {

    /** Copies the lists so the record is immutable. */
    public Decision {
        ranked = List.copyOf(ranked);
        rejected = List.copyOf(rejected);
    }

    /** Whether any server was selected. */
    public boolean hasSelection() {
        return !selection.servers().isEmpty();
    }

    /** The metrics that make up a score. */
    public enum Metric { JITTER, REACHABILITY, STRATUM, LATENCY }

    /**
     * A surviving server.
     *
     * @param measurement  what was measured
     * @param score        weighted total, 0-100
     * @param metricScores each metric mapped to 0-100 by its documented curve
     */
    public record Candidate(Measurement measurement, double score, Map<Metric, Double> metricScores) {
        /** Copies the map so the record is immutable. */
        public Candidate {
            metricScores = Map.copyOf(metricScores);
        }
    }

    /** Why a server was rejected. */
    public enum Reason {
        /** No valid sample. */
        UNREACHABLE,
        /** Outside the majority's intersection interval (RFC 5905 §11.2.1). */
        FALSETICKER,
        /** Stratum outside the accepted range. */
        STRATUM,
        /** Root distance above the limit. */
        ROOT_DISTANCE,
        /** Smears leap seconds while the selection does not, or the other way round. */
        LEAP_SMEAR_MIX,
        /** On the blacklist (kiss DENY/RSTR, repeated failures). */
        BLACKLISTED,
        /** Below the minimum score. */
        LOW_SCORE
    }

    /**
     * A rejected server.
     *
     * @param measurement what was measured
     * @param reason      the class of reason
     * @param detail      the specifics, for people
     */
    public record Rejection(Measurement measurement, Reason reason, String detail) {
    }

}
