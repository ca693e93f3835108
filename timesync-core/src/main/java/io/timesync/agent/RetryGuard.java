package io.timesync.agent;

import io.timesync.time.Mode;
import io.timesync.correct.CorrectionPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Keeps a correction that failed from being tried again, for about the same skew, until a while
 * has passed: a service that keeps failing is then not driven (a restart, a makestep) every second.
 * Not thread-safe: one cycle at a time uses it.
 */
final class RetryGuard {

    private final Mode mode;
    private final long afterNanos;
    // The last correction that was tried and failed: its time (0 when none) and its skew.
    private long failedAtUnixNanos;
    private long failedSkewNanos;

    /**
     * @param mode  what "about the same skew" means ({@link CorrectionPolicy#aboutTheSame})
     * @param after how long a failed correction is not tried again
     */
    RetryGuard(Mode mode, Duration after) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.afterNanos = after.toNanos();
    }

    /** Why a correction for {@code skewNanos} is not tried at {@code nowUnixNanos}, or null when it may be. */
    String holdBack(long nowUnixNanos, long skewNanos) {
        if (failedAtUnixNanos == 0 || nowUnixNanos - failedAtUnixNanos >= afterNanos
                || !CorrectionPolicy.aboutTheSame(mode, skewNanos, failedSkewNanos)) {
            return null;
        }
        return "not tried again: the same correction failed at " + Instant.ofEpochSecond(0, failedAtUnixNanos)
                + "; next try from " + Instant.ofEpochSecond(0, failedAtUnixNanos + afterNanos);
    }

    /** A correction for {@code skewNanos} failed at {@code nowUnixNanos}. */
    void failed(long nowUnixNanos, long skewNanos) {
        failedAtUnixNanos = nowUnixNanos;
        failedSkewNanos = skewNanos;
    }

    /** A correction was applied: the next one is tried whatever the skew. */
    void succeeded() {
        failedAtUnixNanos = 0;
    }
}
