package io.timesync.memo;

import io.timesync.select.Selection;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What TimeSync remembers between runs. Versioned, so a newer agent can read an older file.
 *
 * @param version             the format version ({@link #CURRENT_VERSION} when written by this code)
 * @param lastSkewNanos       the last measured skew (reference − local), or null before the first measurement
 * @param lastSkewAtUnixNanos when it was measured, or null
 * @param lastCorrectionNanos the skew the last correction removed, or null when none was made
 * @param selection           the current selection and its hysteresis state
 * @param history             per server ({@code host:port}): its recent results, oldest first
 * @param blacklist           per server ({@code host:port}): why and until when it is not used
 */
public record Memo(int version, Long lastSkewNanos, Long lastSkewAtUnixNanos, Long lastCorrectionNanos,
                   Selection selection, Map<String, List<HistoryEntry>> history, Map<String, BlacklistEntry> blacklist) {

    /** The format this code writes. */
    public static final int CURRENT_VERSION = 1;

    /** Nothing remembered. */
    public static final Memo EMPTY = new Memo(CURRENT_VERSION, null, null, null, Selection.NONE, Map.of(), Map.of());

    /** Copies the collections so the record is immutable. */
    public Memo {
        Objects.requireNonNull(selection, "selection");
        history = Map.copyOf(history);
        blacklist = Map.copyOf(blacklist);
    }

    /**
     * One run's result for one server.
     *
     * @param atUnixNanos  when
     * @param offsetNanos  the filtered offset, or null when it did not answer
     * @param delayNanos   the filtered delay, or null
     * @param jitterNanos  the jitter, or null
     * @param reach        the reachability register after the run
     */
    public record HistoryEntry(long atUnixNanos, Long offsetNanos, Long delayNanos, Long jitterNanos, int reach) {
    }

    /**
     * Why a server is not used.
     *
     * @param reason           e.g. {@code kiss DENY} or {@code 5 runs without a reply}
     * @param untilUnixNanos   when it may be tried again
     */
    public record BlacklistEntry(String reason, long untilUnixNanos) {
    }
}
