package io.timesync.memo;

import io.timesync.memo.ServerRecord.HistoryEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistorySummaryTest {

    private static HistoryEntry at(long t, Long offset, String verdict) {
        return new HistoryEntry(t, offset, offset == null ? null : 100L, offset == null ? null : 5L, 2, 90.0, verdict);
    }

    @Test
    void summarisesTheWindowOnly() {
        List<HistoryEntry> h = List.of(at(1, 1_000_000L, "selected"), at(10, 100L, "selected"), at(11, null, "unreachable"),
                at(12, 300L, "standby"), at(13, 200L, "selected"));
        HistorySummary s = HistorySummary.of(h, 10);
        assertThat(s.runs()).isEqualTo(4);
        assertThat(s.answered()).isEqualTo(3);
        assertThat(s.medianOffsetNanos()).isEqualTo(200L);
        // Deviations -100, 100, 0 from the median: RMS sqrt(20000 / 3) = 81.6
        assertThat(s.jitterNanos()).isEqualTo(82L);
        assertThat(s.lastVerdict()).isEqualTo("selected");
    }

    @Test
    void evenCountsTakeTheMeanOfTheMiddleTwo() {
        assertThat(HistorySummary.of(List.of(at(1, 10L, "a"), at(2, 20L, "b")), 0).medianOffsetNanos()).isEqualTo(15L);
    }

    @Test
    void noAnswersNoFigures() {
        HistorySummary s = HistorySummary.of(List.of(at(5, null, "unreachable")), 0);
        assertThat(s.runs()).isEqualTo(1);
        assertThat(s.answered()).isZero();
        assertThat(s.medianOffsetNanos()).isNull();
        assertThat(s.jitterNanos()).isNull();
        assertThat(HistorySummary.of(List.of(), 0).lastVerdict()).isNull();
    }
}
