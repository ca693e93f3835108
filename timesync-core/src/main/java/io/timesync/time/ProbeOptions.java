package io.timesync.time;

import io.timesync.text.DurationText;

import java.time.Duration;
import java.util.Objects;

/**
 * How to probe. The defaults follow the public pool's rules: 4 samples per server, 2 s apart.
 *
 * @param samples     requests per address, 1-64
 * @param spacing     time between the starts of two requests to the same address, 0 to 1 hour
 * @param timeout     how long to wait for each reply, more than 0 and at most 1 minute
 * @param concurrency how many addresses are probed at once, 1-1024
 */
public record ProbeOptions(int samples, Duration spacing, Duration timeout, int concurrency) {

    /** Requests per address by default. */
    public static final int DEFAULT_SAMPLES = 4;
    /** Spacing by default: the pool's minimum between two requests to one server. */
    public static final Duration DEFAULT_SPACING = Duration.ofSeconds(2);
    /** Per-request timeout by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** Addresses probed at once by default: enough that a run over hundreds of candidates takes one round. */
    public static final int DEFAULT_CONCURRENCY = 256;

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public ProbeOptions {
        Objects.requireNonNull(spacing, "spacing");
        Objects.requireNonNull(timeout, "timeout");
        if (samples < 1 || samples > 64) {
            throw new IllegalArgumentException("samples must be from 1 to 64, got " + samples);
        }
        if (spacing.isNegative() || spacing.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("spacing must be from 0 to 1 hour, got " + DurationText.of(spacing));
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("timeout must be more than 0 and at most 1 minute, got " + DurationText.of(timeout));
        }
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("concurrency must be from 1 to 1024, got " + concurrency);
        }
    }

    /** 4 samples, 2 s apart, 1 s timeout, 256 addresses at once. */
    public static ProbeOptions defaults() {
        return new ProbeOptions(DEFAULT_SAMPLES, DEFAULT_SPACING, DEFAULT_TIMEOUT, DEFAULT_CONCURRENCY);
    }

    /** A copy with another sample count. */
    public ProbeOptions withSamples(int value) {
        return new ProbeOptions(value, spacing, timeout, concurrency);
    }

    /** A copy with another spacing. */
    public ProbeOptions withSpacing(Duration value) {
        return new ProbeOptions(samples, value, timeout, concurrency);
    }

    /** A copy with another timeout. */
    public ProbeOptions withTimeout(Duration value) {
        return new ProbeOptions(samples, spacing, value, concurrency);
    }

    /** A copy with another concurrency. */
    public ProbeOptions withConcurrency(int value) {
        return new ProbeOptions(samples, spacing, timeout, value);
    }
}
