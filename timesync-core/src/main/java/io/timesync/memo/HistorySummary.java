package io.timesync.memo;

import io.timesync.memo.ServerRecord.HistoryEntry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A server's history over a window, as {@code timesync status} shows it: how many runs, how many got
 * an answer, the median offset and the jitter (RMS deviation of the offsets from that median). Pure.
 *
 * @param runs           runs in the window
 * @param answered       runs with a valid sample
 * @param medianOffsetNanos the median filtered offset, or null without answers
 * @param jitterNanos    RMS deviation of the offsets from the median, or null with fewer than 2 answers
 * @param lastVerdict    the verdict of the newest run in the window, or null
 */
public record HistorySummary(int runs, int answered, Long medianOffsetNanos, Long jitterNanos, String lastVerdict) {

    /** Summarises the entries at or after {@code sinceUnixNanos}. */
    public static HistorySummary of(List<HistoryEntry> history, long sinceUnixNanos) {
        List<Long> offsets = new ArrayList<>();
        int runs = 0;
        String last = null;
        for (HistoryEntry h : history) {
            if (h.atUnixNanos() < sinceUnixNanos) {
                continue;
            }
            runs++;
            last = h.verdict();
            if (h.offsetNanos() != null) {
                offsets.add(h.offsetNanos());
            }
        }
        if (offsets.isEmpty()) {
            return new HistorySummary(runs, 0, null, null, last);
        }
        List<Long> sorted = new ArrayList<>(offsets);
        Collections.sort(sorted);
        int n = sorted.size();
        long median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        Long jitter = null;
        if (n >= 2) {
            double sum = 0;
            for (long o : offsets) {
                double d = (double) o - median;
                sum += d * d;
            }
            jitter = Math.round(Math.sqrt(sum / n));
        }
        return new HistorySummary(runs, n, median, jitter, last);
    }
}
