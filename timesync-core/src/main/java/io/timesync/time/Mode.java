package io.timesync.time;

import java.time.Duration;

/**
 * How often the agent checks the clock and how large a skew it acts on.
 */
public enum Mode {
    /** Every 60 s; acts above 0.1 ms. */
    FAST(Duration.ofSeconds(60), 100_000L),
    /** Every second, reading the local time service; acts above 1 µs. */
    ULTRAFAST(Duration.ofSeconds(1), 1_000L),
    /** Every 30 minutes, one probe per check; acts above 1 ms. */
    LAZY(Duration.ofMinutes(30), 1_000_000L);

    private final Duration interval;
    private final long thresholdNanos;

    Mode(Duration interval, long thresholdNanos) {
        this.interval = interval;
        this.thresholdNanos = thresholdNanos;
    }

    /** Time between two checks. */
    public Duration interval() {
        return interval;
    }

    /**
     * A skew at or below this is left alone; so is one within the measurement's own uncertainty
     * (the agent's correction policy).
     */
    public long thresholdNanos() {
        return thresholdNanos;
    }
}
