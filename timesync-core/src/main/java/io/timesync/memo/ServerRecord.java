package io.timesync.memo;

import java.util.List;

/**
 * What is remembered of one server across runs.
 *
 * @param runReach            8-bit register, one bit per run, newest in bit 0, set when that run got a valid sample
 * @param runs                how many runs have probed it (saturates at {@link Integer#MAX_VALUE})
 * @param consecutiveFailures runs in a row without a valid sample
 * @param strikes             how many times it has been blacklisted (each cool-down doubles the last)
 * @param blacklistedUntilUnixNanos until when it is not used, or null
 * @param blacklistReason     why it was blacklisted, or null
 * @param history             its recent results, oldest first, bounded
 */
public record ServerRecord(int runReach, int runs, int consecutiveFailures, int strikes,
                           Long blacklistedUntilUnixNanos, String blacklistReason, List<HistoryEntry> history) {

    /** A server never seen. */
    public static final ServerRecord NEW = new ServerRecord(0, 0, 0, 0, null, null, List.of());

    /** Copies the list so the record is immutable. */
    public ServerRecord {
        history = List.copyOf(history);
    }

    /** Whether it is blacklisted at {@code nowUnixNanos}. */
    public boolean blacklistedAt(long nowUnixNanos) {
        return blacklistedUntilUnixNanos != null && nowUnixNanos < blacklistedUntilUnixNanos;
    }

    /**
     * One run's result.
     *
     * @param atUnixNanos when
     * @param offsetNanos the filtered offset, or null when it did not answer
     * @param delayNanos  the filtered delay, or null
     * @param jitterNanos the jitter, or null
     * @param stratum     its stratum, or null
     * @param score       its score, or null when it was not scored
     * @param verdict     what the run decided about it (selected, kept, standby, falseticker...)
     * @param authenticated whether that run's measurement was NTS-authenticated (false in memos
     *                    written before this was recorded)
     */
    public record HistoryEntry(long atUnixNanos, Long offsetNanos, Long delayNanos, Long jitterNanos, Integer stratum,
                               Double score, String verdict, boolean authenticated) {

        /** An unauthenticated run's result. */
        public HistoryEntry(long atUnixNanos, Long offsetNanos, Long delayNanos, Long jitterNanos, Integer stratum,
                            Double score, String verdict) {
            this(atUnixNanos, offsetNanos, delayNanos, jitterNanos, stratum, score, verdict, false);
        }
    }

    /** Whether the newest run's measurement was NTS-authenticated; false before any run. */
    public boolean lastAuthenticated() {
        return !history.isEmpty() && history.get(history.size() - 1).authenticated();
    }
}
