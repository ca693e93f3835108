package io.timesync.correct;

import io.timesync.select.Decision;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Corrects the clock through one OS time service (chrony, ntpsec/ntpd, systemd-timesyncd, w32time):
 * never the kernel clock directly. Planning is separate from doing, so {@code --dry-run} shows
 * exactly the {@link Plan} that would be applied.
 *
 * <p>Sign convention: a positive skew means the reference is ahead of the local clock, so the clock
 * must move forward.
 */
public interface Corrector {

    /** The service this corrector drives, e.g. {@code chrony}. */
    String service();

    /**
     * The steps that would make the service use the decision's selection and carry out the
     * policy's action. Changes nothing: implementations may read the service's state to plan, but
     * every change is a step of the plan.
     *
     * @param decision the selection to configure
     * @param action   what {@link CorrectionPolicy} decided about the measured skew
     * @throws IOException when the current state cannot be read
     */
    Plan plan(Decision decision, CorrectionPolicy.Action action) throws IOException;

    /**
     * Applies a plan from {@link #plan}: backs up every file it changes, runs the steps in order,
     * verifies the service afterwards and journals the change (see {@link Backups}), and rolls back to
     * the backups if any step or the verification fails: a failed plan leaves nothing to roll back to.
     *
     * @throws CorrectionException when the plan failed; the message says what failed and whether the rollback worked
     */
    Applied apply(Plan plan) throws CorrectionException;

    /**
     * Puts back what the last applied change replaced and makes the service use it again, {@code
     * timesync rollback}: the current version is saved first, and the service must then report what
     * was restored. A rolled-back change leaves the journal, so the next rollback goes one further back.
     *
     * @return the backup restored
     * @throws CorrectionException when there is nothing to restore or a step failed; the message names the step
     */
    Path rollback() throws CorrectionException;

    /**
     * The result of applying a plan.
     *
     * @param plan     the plan that was applied
     * @param verified whether the service's state was checked afterwards and found as planned
     * @param summary  what was done, for people
     */
    record Applied(Plan plan, boolean verified, String summary) {
    }
}
