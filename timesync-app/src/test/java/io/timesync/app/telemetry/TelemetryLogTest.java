package io.timesync.app.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.agent.CycleKind;
import io.timesync.agent.CycleReport;
import io.timesync.time.Measurement;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.ntp.Leap;
import io.timesync.probe.ServiceSample;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The telemetry files, written by the real logback appenders into a temporary directory. */
class TelemetryLogTest {

    private static final long T0 = 1_790_000_000_000_000_000L;
    private static final String TRACKING = "chronyd (tracking)";

    static CycleReport network(CycleKind kind, long at) {
        return new CycleReport(kind, at, null, "127.0.0.1:123", null, 10L,
                new CorrectionPolicy.Action(CorrectionPolicy.Kind.NONE, 0, "within"), null, null,
                CycleReport.Outcome.IN_SYNC, "within", null, null, false);
    }

    static CycleReport selecting(long at) {
        Decision d = new Decision(List.of(), new Selection(List.of("127.0.0.1:123"), null, 0), Decision.Outcome.SWITCHED,
                "first selection: 127.0.0.1:123");
        return new CycleReport(CycleKind.OPTIMIZE, at, d, "127.0.0.1:123", null, 10L,
                new CorrectionPolicy.Action(CorrectionPolicy.Kind.NONE, 0, "within"), null, null,
                CycleReport.Outcome.IN_SYNC, "within", null, null, false);
    }

    static CycleReport reading(long at, int stratum) {
        Measurement m = ServiceSample.of("chronyd", "127.0.0.1", at, 1_000, stratum, Leap.NONE, 1_000_000, 1_000_000, 0x7f000001);
        return new CycleReport(CycleKind.SERVICE, at, null, TRACKING, m, 1_000L,
                new CorrectionPolicy.Action(CorrectionPolicy.Kind.NONE, 0, "within"), null, null,
                CycleReport.Outcome.IN_SYNC, "within", null, null, false);
    }

    static CycleReport unanswered(long at) {
        return new CycleReport(CycleKind.SERVICE, at, null, null, null, null, null, null, null,
                CycleReport.Outcome.NO_SOURCE, TRACKING + ": chronyd is not synchronised", null, null, false);
    }

    @Test
    void theServicesStateAndPeersAreReportedOncePerChange(@TempDir Path dir) throws Exception {
        AtomicReference<List<io.timesync.platform.ServicePeer>> sources = new AtomicReference<>(
                List.of(new io.timesync.platform.ServicePeer("127.0.0.1", "selected", 2, "377", 1_000)));
        AtomicInteger reads = new AtomicInteger();
        try (TelemetryLog log = TelemetryLog.open(dir)) {
            log.watch("chrony", TRACKING, () -> {
                reads.incrementAndGet();
                return sources.get();
            });
            log.cycle(selecting(T0));
            log.cycle(reading(T0 + 1, 3));
            log.cycle(reading(T0 + 2, 3));
            log.cycle(reading(T0 + 3, 3));
            log.cycle(unanswered(T0 + 4));
            log.cycle(unanswered(T0 + 5));
            sources.set(List.of(new io.timesync.platform.ServicePeer("127.0.0.1", "unreachable", 2, "0", 0)));
            long minute = 60_000_000_000L;
            log.cycle(network(CycleKind.MEASURE, T0 + 4 + minute));
            log.cycle(network(CycleKind.MEASURE, T0 + 5 + minute));
            log.cycle(network(CycleKind.MEASURE, T0 + 4 + 2 * minute));
        }
        // Read after each optimize cycle, on each change of state, and after measure cycles at most once a
        // minute (a daemon with its own servers measures every second), not on every reading.
        assertThat(reads.get()).isEqualTo(5);

        List<JsonNode> syncs = new ArrayList<>();
        List<JsonNode> selections = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(TelemetryLog.JSON))) {
            JsonNode doc = new ObjectMapper().readTree(line);
            if (doc.get("event").asText().equals("service")) {
                syncs.add(doc);
            } else if (doc.get("event").asText().equals("sync")) {
                selections.add(doc);
            }
        }
        // A selection change is a sync line; the service's own reports have an event of their own.
        assertThat(selections).singleElement().satisfies(d -> assertThat(d.get("servers").toString())
                .isEqualTo("[\"127.0.0.1:123\"]"));
        assertThat(syncs).allSatisfy(d -> assertThat(d.has("servers")).isFalse());
        assertThat(syncs).extracting(d -> d.get("state").isNull() ? "-" : d.get("state").asText()).containsExactly(
                "-", "synchronised to 127.0.0.1, stratum 3", "chronyd is not synchronised", "chronyd is not synchronised");
        assertThat(syncs).extracting(d -> d.get("peers").toString()).containsExactly("[\"127.0.0.1(selected)\"]",
                "[\"127.0.0.1(selected)\"]", "[\"127.0.0.1(selected)\"]", "[\"127.0.0.1(unreachable)\"]");
        assertThat(syncs).allSatisfy(d -> assertThat(d.get("service").asText()).isEqualTo("chrony"));
        assertThat(dir.resolve(TelemetryLog.TEXT)).content().contains("sync     service=- servers=127.0.0.1:123 state=in-sync",
                "service  service=chrony state=synchronised to 127.0.0.1, stratum 3 peers=127.0.0.1(selected)",
                "service  service=chrony state=chronyd is not synchronised peers=127.0.0.1(unreachable)");
    }
}
