package io.timesync.cli;

import io.timesync.agent.CycleKind;
import io.timesync.agent.CycleReport;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's counters, scraped over HTTP from the real exporter on loopback and checked by the real promtool. */
class AgentMetricsTest {

    private static final long T0 = 1_790_000_000_000_000_000L;

    static CycleReport report(CycleReport.Outcome outcome, CorrectionPolicy.Kind kind, long skew) {
        return new CycleReport(CycleKind.MEASURE, T0, null, "127.0.0.1:123", null, skew,
                new CorrectionPolicy.Action(kind, kind == CorrectionPolicy.Kind.REFUSE ? 0 : skew, "test"), null, null,
                outcome, "test", null, null, false);
    }

    @Test
    void correctionsRefusalsAndFailuresAreCounted(@TempDir Path dir) throws Exception {
        Path promtool = RequiredTool.find("TIMESYNC_PROMTOOL", "promtool",
                "apt-get download prometheus and unpack it (see .ci/run), or apt-get install prometheus");
        try (AgentMetrics metrics = AgentMetrics.serve(InetAddress.getByName("127.0.0.1"), 0)) {
            metrics.cycle(report(CycleReport.Outcome.APPLIED, CorrectionPolicy.Kind.SLEW, 2_000_000));
            metrics.cycle(report(CycleReport.Outcome.APPLIED, CorrectionPolicy.Kind.SLEW, 1_000_000));
            metrics.cycle(report(CycleReport.Outcome.APPLIED, CorrectionPolicy.Kind.STEP, 500_000_000));
            metrics.cycle(report(CycleReport.Outcome.REFUSED, CorrectionPolicy.Kind.REFUSE, 2_000_000_000_000L));
            metrics.cycle(report(CycleReport.Outcome.CORRECTION_FAILED, CorrectionPolicy.Kind.SLEW, 3_000_000));
            metrics.cycle(report(CycleReport.Outcome.PLAN_FAILED, CorrectionPolicy.Kind.STEP, 300_000_000));
            // Within the threshold: counted as a cycle, not a correction.
            metrics.cycle(report(CycleReport.Outcome.IN_SYNC, CorrectionPolicy.Kind.NONE, 10));

            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(text).contains("timesync_corrections_total{kind=\"slew\"} 2.0",
                    "timesync_corrections_total{kind=\"step\"} 1.0", "timesync_refusals_total 1.0",
                    "timesync_correction_failures_total 2.0", "timesync_cycles_total{kind=\"measure\",outcome=\"applied\"} 3.0",
                    "timesync_skew_seconds 1.0E-8", "timesync_last_sync_timestamp_seconds 1.79E9");

            Path scraped = dir.resolve("metrics.txt");
            Files.writeString(scraped, text);
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(scraped.toFile())
                    .redirectErrorStream(true).start();
            String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(verdict).isZero();
        }
    }
}
