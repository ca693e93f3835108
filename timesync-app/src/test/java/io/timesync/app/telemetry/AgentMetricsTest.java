package io.timesync.app.telemetry;

import io.timesync.agent.CycleKind;
import io.timesync.agent.CycleReport;
import io.timesync.time.Measurement;
import io.timesync.time.ServerAddress;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.ntp.Leap;
import io.timesync.probe.ServiceSample;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
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
import java.util.List;
import java.util.Map;
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

            String text = scrape(metrics);
            assertThat(text).contains("timesync_corrections_total{kind=\"slew\"} 2.0",
                    "timesync_corrections_total{kind=\"step\"} 1.0", "timesync_refusals_total 1.0",
                    "timesync_correction_failures_total 2.0", "timesync_cycles_total{kind=\"measure\",outcome=\"applied\"} 3.0",
                    "timesync_skew_seconds 1.0E-8", "timesync_last_sync_timestamp_seconds 1.79E9");

            checkMetrics(promtool, dir, text);
        }
    }

    @Test
    void theTimeBetweenDecisionsShowsTheCadence(@TempDir Path dir) throws Exception {
        Path promtool = RequiredTool.find("TIMESYNC_PROMTOOL", "promtool",
                "apt-get download prometheus and unpack it (see .ci/run), or apt-get install prometheus");
        long second = 1_000_000_000L;
        try (AgentMetrics metrics = AgentMetrics.serve(InetAddress.getByName("127.0.0.1"), 0)) {
            for (long at : new long[] {T0, T0 + second, T0 + 2 * second}) {
                metrics.cycle(decided(at));
            }
            // A cycle that found no server decided nothing: the next interval spans it.
            metrics.cycle(new CycleReport(CycleKind.MEASURE, T0 + 3 * second, null, null, null, null, null, null, null,
                    CycleReport.Outcome.NO_SOURCE, "no selected server answered", null, null, false));
            metrics.cycle(decided(T0 + 4 * second));

            String text = scrape(metrics);
            assertThat(text).contains("timesync_decision_interval_seconds_count 3",
                    "timesync_decision_interval_seconds_sum 4.0",
                    "timesync_decision_interval_seconds_bucket{le=\"1.0\"} 2",
                    "timesync_decision_interval_seconds_bucket{le=\"2.0\"} 3");
            checkMetrics(promtool, dir, text);
        }
    }

    private static CycleReport decided(long at) {
        return new CycleReport(CycleKind.MEASURE, at, null, "127.0.0.1:123", null, 10L,
                new CorrectionPolicy.Action(CorrectionPolicy.Kind.NONE, 0, "within"), null, null,
                CycleReport.Outcome.IN_SYNC, "within", null, null, false);
    }

    static String scrape(AgentMetrics metrics) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static void checkMetrics(Path promtool, Path dir, String text) throws Exception {
        Path scraped = dir.resolve("metrics.txt");
        Files.writeString(scraped, text);
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(scraped.toFile())
                .redirectErrorStream(true).start();
        String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(verdict).isZero();
    }

    /** A server's measurement with an offset, NTS-authenticated or not. */
    static Measurement measured(String address, long offsetNanos, boolean nts) {
        Measurement m = ServiceSample.of("x", null, T0, offsetNanos, 2, Leap.NONE, 1_000_000, 1_000_000, 0x7f000001);
        return new Measurement(new ServerAddress(address, 123), address, 123, 4, 0xF, m.samples(), List.of(), m.estimate(),
                null, nts);
    }

    static CycleReport cycle(CycleKind kind, Decision decision, String source, Measurement m, CycleReport.Outcome outcome) {
        return new CycleReport(kind, T0, decision, source, m, m == null ? null : m.estimate().offsetNanos(),
                new CorrectionPolicy.Action(CorrectionPolicy.Kind.NONE, 0, "test"), null, null, outcome, "test", null, null,
                false);
    }

    /** What the packaged alerting rules read beyond the counters: NTS, the blacklist, the service's view, the last outcome. */
    @Test
    void whatTheAlertingRulesReadIsExported(@TempDir Path dir) throws Exception {
        Path promtool = RequiredTool.find("TIMESYNC_PROMTOOL", "promtool",
                "apt-get download prometheus and unpack it (see .ci/run), or apt-get install prometheus");
        try (AgentMetrics metrics = AgentMetrics.serve(InetAddress.getByName("127.0.0.1"), 0)) {
            assertThat(scrape(metrics)).contains("timesync_nts_required 0.0",
                    "timesync_last_cycle_outcome{outcome=\"in_sync\"} 0.0",
                    "timesync_last_cycle_outcome{outcome=\"refused\"} 0.0")
                    .doesNotContain("timesync_service_skew_seconds{");
            metrics.runsWith("chronyd (tracking)", true);

            Measurement nts = measured("192.0.2.1", 2_000_000, true);
            Measurement listed = measured("192.0.2.2", 3_000_000, false);
            Decision decision = new Decision(List.of(
                    new Decision.Verdict(nts.key(), nts, Decision.Kind.SELECTED, 90, Map.of(), "selected"),
                    new Decision.Verdict(listed.key(), listed, Decision.Kind.BLACKLISTED, Double.NaN, Map.of(), "blacklisted")),
                    Selection.NONE, Decision.Outcome.KEPT, "test");
            metrics.cycle(cycle(CycleKind.OPTIMIZE, decision, nts.key(), nts, CycleReport.Outcome.REFUSED));
            String afterOptimize = scrape(metrics);
            assertThat(afterOptimize).contains("timesync_nts_required 1.0",
                    "timesync_server_authenticated{server=\"192.0.2.1:123\"} 1.0",
                    "timesync_server_authenticated{server=\"192.0.2.2:123\"} 0.0",
                    "timesync_server_blacklisted{server=\"192.0.2.1:123\"} 0.0",
                    "timesync_server_blacklisted{server=\"192.0.2.2:123\"} 1.0",
                    "timesync_last_cycle_outcome{outcome=\"refused\"} 1.0",
                    "timesync_last_cycle_outcome{outcome=\"in_sync\"} 0.0");

            // The service's reading is its view; a tick that evaluates the last network measurement again is not.
            Measurement chronyd = ServiceSample.of("chronyd", "192.0.2.1", T0, 30_000_000, 2, Leap.NONE, 0, 0, 0);
            metrics.cycle(cycle(CycleKind.SERVICE, null, "chronyd (tracking)", chronyd, CycleReport.Outcome.IN_SYNC));
            metrics.cycle(cycle(CycleKind.SERVICE, null, nts.key(), measured("192.0.2.1", 500_000_000, false),
                    CycleReport.Outcome.IN_SYNC));
            String text = scrape(metrics);
            assertThat(text).contains("timesync_service_skew_seconds{service=\"chronyd (tracking)\"} 0.03", "timesync_skew_seconds 0.5",
                    "timesync_last_cycle_outcome{outcome=\"in_sync\"} 1.0",
                    "timesync_last_cycle_outcome{outcome=\"refused\"} 0.0");
            checkMetrics(promtool, dir, text);
        }
    }
}
