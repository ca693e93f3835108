package io.timesync.agent;

import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * What a cycle does with the policy's action: nothing (a refusal, a clock in sync, a correction that
 * failed moments ago for about the same skew), or plan it with the time service's {@link Corrector}
 * and apply the plan (in a dry run, plan only). Not thread-safe: one cycle at a time uses it.
 */
final class CorrectionAttempt {

    /**
     * What was done.
     *
     * @param plan    the plan, or null when none was made
     * @param applied what the corrector applied, or null
     * @param outcome the outcome
     * @param detail  what happened, in words
     * @param error   why planning or applying failed, or null
     */
    record Result(Plan plan, Corrector.Applied applied, CycleReport.Outcome outcome, String detail, Exception error) {
    }

    private final Corrector corrector;
    private final boolean dryRun;
    private final RetryGuard guard;

    /**
     * @param corrector the time service's corrector
     * @param dryRun    plan but apply nothing
     * @param guard     what holds back a correction that failed, and learns of each attempt
     */
    CorrectionAttempt(Corrector corrector, boolean dryRun, RetryGuard guard) {
        this.corrector = Objects.requireNonNull(corrector, "corrector");
        this.dryRun = dryRun;
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * @param measured what the cycle measured, with a skew
     * @param action   the policy's action for that skew
     * @param detail   the detail when nothing else is said
     */
    Result make(Cycle.Measured measured, Action action, String detail) {
        long now = measured.atUnixNanos();
        long skew = measured.skewNanos();
        boolean optimizing = measured.kind() == CycleKind.OPTIMIZE;
        boolean acting = action.kind() == CorrectionPolicy.Kind.SLEW || action.kind() == CorrectionPolicy.Kind.STEP;
        if (action.kind() == CorrectionPolicy.Kind.REFUSE) {
            return new Result(null, null, CycleReport.Outcome.REFUSED, detail, null);
        }
        if (!optimizing && !acting) {
            return new Result(null, null, CycleReport.Outcome.IN_SYNC, detail, null);
        }
        // An optimize cycle configures the servers anew: it is never held back.
        String heldBack = optimizing ? null : guard.holdBack(now, skew);
        if (heldBack != null) {
            return new Result(null, null, CycleReport.Outcome.CORRECTION_FAILED, heldBack, null);
        }
        Plan plan;
        try {
            // Measure and service cycles leave the configuration alone: no selection, only the clock.
            plan = corrector.plan(optimizing ? measured.decision() : clockOnly(measured), action);
        } catch (IOException e) {
            guard.failed(now, skew);
            return new Result(null, null, CycleReport.Outcome.PLAN_FAILED, corrector.service() + ": " + e.getMessage(), e);
        }
        if (dryRun) {
            return new Result(plan, null, plan.isEmpty() ? CycleReport.Outcome.IN_SYNC : CycleReport.Outcome.PLANNED,
                    detail, null);
        }
        try {
            Corrector.Applied applied = corrector.apply(plan);
            guard.succeeded();
            return new Result(plan, applied, acting || !plan.isEmpty() ? CycleReport.Outcome.APPLIED
                    : CycleReport.Outcome.IN_SYNC, applied.summary(), null);
        } catch (CorrectionException e) {
            guard.failed(now, skew);
            return new Result(plan, null, CycleReport.Outcome.CORRECTION_FAILED, e.getMessage(), e);
        }
    }

    private static Decision clockOnly(Cycle.Measured measured) {
        return new Decision(List.of(), Selection.NONE, Decision.Outcome.KEPT,
                "correct the clock only; the configuration stays as it is (" + measured.detail() + ")");
    }
}
