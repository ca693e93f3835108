package io.timesync.windows.w32time;

import io.timesync.time.Mode;
import io.timesync.text.DurationText;

import java.time.Duration;

/**
 * What TimeSync writes into w32time's Config key besides the peers.
 *
 * @param minPollInterval        log2 of the shortest poll interval in seconds (MinPollInterval)
 * @param maxPollInterval        log2 of the longest poll interval in seconds (MaxPollInterval)
 * @param phaseCorrectionLimit   the largest correction w32time may make by itself, either way
 *                               (MaxPosPhaseCorrection, MaxNegPhaseCorrection): TimeSync's panic bound, so
 *                               the service refuses what TimeSync would refuse
 */
public record W32TimeSettings(int minPollInterval, int maxPollInterval, Duration phaseCorrectionLimit) {

    /** Validates the ranges w32time accepts. */
    public W32TimeSettings {
        if (minPollInterval < 0 || maxPollInterval > 17 || minPollInterval > maxPollInterval) {
            throw new IllegalArgumentException("need 0 <= MinPollInterval <= MaxPollInterval <= 17, got " + minPollInterval
                    + " and " + maxPollInterval);
        }
        if (phaseCorrectionLimit.isNegative() || phaseCorrectionLimit.isZero()
                || phaseCorrectionLimit.toSeconds() >= 0xFFFFFFFFL) {
            throw new IllegalArgumentException("the phase-correction limit must be 1 s to 4294967294 s, got " + DurationText.of(phaseCorrectionLimit));
        }
    }

    /** Polls every 64 s to 1024 s; w32time corrects at most the panic bound (1000 s) by itself. */
    public static W32TimeSettings defaults(Duration panicBound) {
        return new W32TimeSettings(6, 10, panicBound);
    }

    /**
     * The poll range for a mode. Never below 64 s (2^6), the pools' steady-state limit: fast polls 64 s
     * to 1024 s; ultrafast, which reads w32time's own view every second, keeps it close with 64 s to
     * 256 s; lazy uses w32time's standalone defaults, 1024 s to 32768 s.
     */
    public static W32TimeSettings forMode(Mode mode, Duration panicBound) {
        return switch (mode) {
            case FAST -> new W32TimeSettings(6, 10, panicBound);
            case ULTRAFAST -> new W32TimeSettings(6, 8, panicBound);
            case LAZY -> new W32TimeSettings(10, 15, panicBound);
        };
    }

    /** The limit in whole seconds, at least {@code nanos} (a step the policy allowed beyond the bound). */
    long limitSeconds(long nanos) {
        long needed = Math.floorDiv(Math.abs(nanos) + 999_999_999L, 1_000_000_000L) + 1;
        return Math.min(0xFFFFFFFEL, Math.max(phaseCorrectionLimit.toSeconds(), needed));
    }
}
