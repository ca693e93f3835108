package io.timesync.correct;

import io.timesync.time.Estimate;
import io.timesync.time.Mode;
import io.timesync.text.DurationText;
import io.timesync.text.NanosText;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides what to do about a measured skew (reference − local; positive means the clock is
 * behind): nothing at or below the mode's threshold, nor at or below the measurement's own
 * uncertainty ({@link #uncertaintyNanos}); let the service slew below the step
 * threshold (100 ms); step through the service from there; refuse beyond the panic bound (1000 s)
 * unless a large step is explicitly allowed. A slew that the previous run started and that cannot
 * have finished yet is not started again (a skew of the same sign, at most a tenth plus the mode's
 * threshold larger than that slew, is taken for what remains of it). Likewise a step made for the
 * same skew within the last {@link #STEP_SETTLE} is not made again: the service has not reflected it
 * yet (it applies a step at its next clock update). Pure.
 *
 * <p><b>Only what can be told from noise is corrected.</b> A skew is acted on only when its
 * magnitude exceeds both the mode's threshold and the measurement's uncertainty, the larger of
 * <ul>
 *   <li>its error bound ({@link Estimate#errorBoundNanos()}: half the round-trip delay, half the
 *       server's root delay, the server's root dispersion, precision and frequency tolerance; for a
 *       time service's reading: its root delay / 2 plus its root dispersion), and</li>
 *   <li>{@link #JITTER_MULTIPLE} times the jitter of its samples.</li>
 * </ul>
 * A skew inside that band may be the measurement's error rather than the clock's: correcting it
 * would make a right clock worse. So on a clock that is right, every mode decides no correction;
 * the mode's threshold matters only when the measurement is finer than it.
 *
 * @param stepThreshold  skews at least this large are stepped
 * @param panicBound     skews larger than this are refused unless {@code allowLargeStep}
 * @param allowLargeStep whether to step beyond the panic bound
 * @param slewRatePpm    the slowest slew rate assumed when judging whether a previous slew is still running
 */
public record CorrectionPolicy(Duration stepThreshold, Duration panicBound, boolean allowLargeStep, double slewRatePpm) {

    /**
     * How long a step may take to show in a measurement: two of a service's usual 64 s polls. A skew
     * the size of the step that is still measured after this means the step did not take, and it is
     * made again.
     */
    public static final Duration STEP_SETTLE = Duration.ofSeconds(128);

    /** A skew must exceed this many times the measurement's jitter to be told from noise. */
    public static final int JITTER_MULTIPLE = 3;

    /** Validates the bounds. */
    public CorrectionPolicy {
        Objects.requireNonNull(stepThreshold, "stepThreshold");
        Objects.requireNonNull(panicBound, "panicBound");
        if (stepThreshold.isNegative() || stepThreshold.isZero() || panicBound.compareTo(stepThreshold) < 0) {
            throw new IllegalArgumentException("need 0 < step threshold <= panic bound, got " + DurationText.of(stepThreshold)
                    + " and " + DurationText.of(panicBound));
        }
        if (!(slewRatePpm > 0)) {
            throw new IllegalArgumentException("slew rate must be positive, got " + slewRatePpm);
        }
    }

    /** 100 ms step threshold, 1000 s panic bound, large steps refused, 500 ppm slew (ntpd's; chrony is faster). */
    public static CorrectionPolicy defaults() {
        return new CorrectionPolicy(Duration.ofMillis(100), Duration.ofSeconds(1000), false, 500);
    }

    /** A copy that allows (or not) steps beyond the panic bound. */
    public CorrectionPolicy withAllowLargeStep(boolean allow) {
        return new CorrectionPolicy(stepThreshold, panicBound, allow, slewRatePpm);
    }

    /** What to do. */
    public enum Kind {
        /** Leave the clock alone. */
        NONE,
        /** Let the service slew the clock. */
        SLEW,
        /** Have the service step the clock. */
        STEP,
        /** The skew is beyond the panic bound: do nothing and say so. */
        REFUSE
    }

    /**
     * The action and why.
     *
     * @param kind   what to do
     * @param nanos  the correction (the skew; positive moves the clock forward), 0 for NONE
     * @param reason for people
     */
    public record Action(Kind kind, long nanos, String reason) {
    }

    /**
     * The uncertainty of {@code estimate}'s offset (see the class comment): the larger of its error
     * bound and {@link #JITTER_MULTIPLE} times its jitter. Saturates instead of overflowing.
     */
    public static long uncertaintyNanos(Estimate estimate) {
        double jitter = (double) JITTER_MULTIPLE * estimate.jitterNanos();
        double larger = Math.max(estimate.errorBoundNanos(), jitter);
        return larger >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(larger);
    }

    /** {@link #decide(Mode, long, long, Long, Long, long)} for a skew known exactly (no uncertainty). */
    public Action decide(Mode mode, long skewNanos, Long lastCorrectionNanos, Long lastCorrectionAtUnixNanos,
                         long nowUnixNanos) {
        return decide(mode, skewNanos, 0, lastCorrectionNanos, lastCorrectionAtUnixNanos, nowUnixNanos);
    }

    /**
     * Decides.
     *
     * @param mode                the agent's mode (its threshold)
     * @param skewNanos           the measured skew, reference − local
     * @param uncertaintyNanos    the measurement's uncertainty ({@link #uncertaintyNanos}): a skew
     *                            no larger is left alone
     * @param lastCorrectionNanos the correction the previous run made, or null
     * @param lastCorrectionAtUnixNanos when, or null
     * @param nowUnixNanos        the current time
     */
    public Action decide(Mode mode, long skewNanos, long uncertaintyNanos, Long lastCorrectionNanos,
                         Long lastCorrectionAtUnixNanos, long nowUnixNanos) {
        long magnitude = skewNanos == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(skewNanos);
        if (magnitude <= mode.thresholdNanos()) {
            return new Action(Kind.NONE, 0, "skew " + text(skewNanos) + " is within the " + mode.name().toLowerCase(Locale.ROOT)
                    + " threshold of " + text(mode.thresholdNanos()));
        }
        if (magnitude <= uncertaintyNanos) {
            return new Action(Kind.NONE, 0, "skew " + text(skewNanos) + " is within the measurement's uncertainty of "
                    + text(uncertaintyNanos) + ": it cannot be told from noise");
        }
        if (magnitude > panicBound.toNanos() && !allowLargeStep) {
            return new Action(Kind.REFUSE, 0, "skew " + text(skewNanos) + " is beyond the panic bound of "
                    + text(panicBound.toNanos()) + ": refusing (use --allow-large-step if this is really wanted)");
        }
        if (magnitude >= stepThreshold.toNanos()) {
            // Unlike a slew, a step leaves no remainder: only a skew about its size is that step again.
            if (sameCorrection(mode, skewNanos, lastCorrectionNanos, lastCorrectionAtUnixNanos)
                    && Math.abs(lastCorrectionNanos) >= stepThreshold.toNanos()
                    && sameCorrection(mode, lastCorrectionNanos, skewNanos, lastCorrectionAtUnixNanos)
                    && nowUnixNanos - lastCorrectionAtUnixNanos < STEP_SETTLE.toNanos()) {
                return new Action(Kind.NONE, 0, "skew " + text(skewNanos) + " is the previous run's step of "
                        + text(lastCorrectionNanos) + ", which the service has not reflected yet");
            }
            return new Action(Kind.STEP, skewNanos, "skew " + text(skewNanos) + " is at least " + text(stepThreshold.toNanos())
                    + ": step through the service");
        }
        if (sameCorrection(mode, skewNanos, lastCorrectionNanos, lastCorrectionAtUnixNanos)) {
            long slewDuration = (long) (Math.abs(lastCorrectionNanos) / (slewRatePpm * 1e-6));
            if (nowUnixNanos - lastCorrectionAtUnixNanos < slewDuration) {
                return new Action(Kind.NONE, 0, "skew " + text(skewNanos) + " is what remains of the previous run's slew of "
                        + text(lastCorrectionNanos) + ", which is still in progress");
            }
        }
        return new Action(Kind.SLEW, skewNanos, "skew " + text(skewNanos) + " is below " + text(stepThreshold.toNanos())
                + ": the service slews it");
    }

    /**
     * Whether two skews are materially the same: of one sign, and apart by at most the scatter a
     * measurement has (a tenth of {@code earlierNanos} plus the mode's threshold).
     */
    public static boolean aboutTheSame(Mode mode, long skewNanos, long earlierNanos) {
        // Of one sign, so the difference cannot overflow.
        return Long.signum(skewNanos) == Long.signum(earlierNanos)
                && Math.abs(skewNanos - earlierNanos) <= scatter(earlierNanos == Long.MIN_VALUE ? Long.MAX_VALUE
                : Math.abs(earlierNanos), mode);
    }

    private static boolean sameCorrection(Mode mode, long skewNanos, Long lastCorrectionNanos, Long lastCorrectionAtUnixNanos) {
        return lastCorrectionNanos != null && lastCorrectionAtUnixNanos != null
                && Long.signum(lastCorrectionNanos) == Long.signum(skewNanos)
                && Math.abs(skewNanos) <= sameSkew(Math.abs(lastCorrectionNanos), mode);
    }

    // Measurements scatter: a skew up to a tenth (plus the mode's threshold) above the correction
    // already made is still that correction, not a new one.
    private static long sameSkew(long lastMagnitude, Mode mode) {
        return lastMagnitude + scatter(lastMagnitude, mode);
    }

    private static long scatter(long magnitude, Mode mode) {
        return magnitude / 10 + mode.thresholdNanos();
    }

    private static String text(long nanos) {
        return NanosText.of(nanos, false);
    }
}
