package io.timesync.agent;

import io.timesync.time.Measurement;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.select.Decision;

/**
 * What one cycle found and did; telemetry, metrics and the CLI's reports are all made from it.
 *
 * @param kind        what the cycle did
 * @param atUnixNanos when it measured
 * @param decision    the servers' verdicts (optimize and measure cycles), or null (service cycles)
 * @param source      where the skew came from: a server key or a time service; null when nothing answered
 * @param measurement the source's measurement, or null
 * @param skewNanos   the skew (reference − local), or null when nothing answered
 * @param action      what the correction policy decided, or null when there was no skew
 * @param plan        the plan made for the action (and, when optimizing, the new selection), or null
 * @param applied     the applied plan, or null when nothing was applied
 * @param outcome     how the cycle ended
 * @param detail      for people: why it ended so
 * @param failure     what failed when the plan could not be made or applied, or null
 * @param recordFailure why the memo could not be written, or null (recorded, or a dry run that records nothing)
 * @param repeated    whether this refusal or failure is the one already reported: the last decision was
 *                    the same ({@code refused}, or {@code failed}) for a skew about the same as this one
 *                    ({@link CorrectionPolicy#aboutTheSame}), as when ultrafast checks evaluate a refused
 *                    skew again every second. Counters and notifications take each distinct one once: a
 *                    skew that changes materially, a correction or any other decision in between make the
 *                    next one new. Always false for other outcomes.
 */
public record CycleReport(CycleKind kind, long atUnixNanos, Decision decision, String source, Measurement measurement,
                          Long skewNanos, CorrectionPolicy.Action action, Plan plan, Corrector.Applied applied,
                          Outcome outcome, String detail, Exception failure,
                          String recordFailure, boolean repeated) {

    /** How a cycle ended. */
    public enum Outcome {
        /** The skew is within the mode's threshold (or the previous correction is still running): nothing done. */
        IN_SYNC,
        /** The plan was applied: the clock corrected, or the new selection configured, or both. */
        APPLIED,
        /** A dry run: the plan was made and not applied. */
        PLANNED,
        /** The skew is beyond the panic bound: nothing done. */
        REFUSED,
        /** The plan could not be made (the service's state could not be read). */
        PLAN_FAILED,
        /** Applying the plan failed; the corrector restored what it had changed. */
        CORRECTION_FAILED,
        /** No server (or service) gave a usable measurement: nothing can be decided. */
        NO_SOURCE
    }

    /** Whether the cycle measured a skew it could trust. */
    public boolean measured() {
        return skewNanos != null;
    }
}
