package io.timesync.app.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.timesync.agent.Agent;
import io.timesync.agent.Cycle;
import io.timesync.agent.CycleReport;
import io.timesync.agent.Schedule;
import io.timesync.agent.Telemetry;
import io.timesync.time.Mode;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.memo.JsonMemoStore;
import io.timesync.ntp.NtpTimestamp;
import io.timesync.probe.HostResolver;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Decision;
import io.timesync.select.Optimizer;
import io.timesync.select.SelectionPolicy;
import io.timesync.testing.FakeTime;
import io.timesync.testing.Loopback;
import io.timesync.testing.ScriptedNtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics and notifications of a real ultrafast agent: a fake clock (its waits take no time), a
 * real UDP server on loopback serving a clock 2000 s ahead, a real memo, the real exporter and a
 * webhook on loopback.
 */
class AgentTelemetryTest {

    private static final long S = 1_000_000_000L;

    /** A refused skew is never planned nor applied: any call is a bug. */
    static final class NoCorrections implements Corrector {
        @Override
        public String service() {
            return "none";
        }

        @Override
        public Plan plan(Decision decision, CorrectionPolicy.Action action) {
            throw new AssertionError("a refused skew was planned: " + action);
        }

        @Override
        public Applied apply(Plan plan) {
            throw new AssertionError("a refused skew was applied: " + plan);
        }

        @Override
        public Path rollback() {
            throw new AssertionError("rollback");
        }
    }

    @Test
    void aRefusalTheChecksMeetEverySecondIsCountedAndNotifiedOnce(@TempDir Path state) throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer hook = NotifierTest.hook(bodies, 204);
        try (ScriptedNtpServer server = new ScriptedNtpServer(Loopback.ipv4(), (n, request, client, socket) ->
                ScriptedNtpServer.send(socket, ScriptedNtpServer.reply(request,
                        NtpTimestamp.fromUnixNanos(TimeSource.system().wallClockNanos() + 2_000 * S)), client));
             AgentMetrics metrics = AgentMetrics.serve(InetAddress.getByName("127.0.0.1"), 0)) {
            ProbeOptions options = ProbeOptions.defaults().withSamples(2).withSpacing(Duration.ofMillis(20))
                    .withTimeout(Duration.ofMillis(300));
            ProbeRunner runner = new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
            SelectionPolicy selection = SelectionPolicy.defaults();
            Cycle cycle = new Cycle(new Cycle.Settings(Mode.ULTRAFAST, CorrectionPolicy.defaults(), selection,
                    Optimizer.Strategy.BEST, List.of(new ServerAddress("127.0.0.1", server.port())), false),
                    new Optimizer(runner, selection), runner, null, new NoCorrections(), new JsonMemoStore(state));
            FakeTime time = new FakeTime();
            Schedule schedule = new Schedule(Schedule.Settings.forMode(Mode.ULTRAFAST, false, Duration.ofHours(6))
                    .withStartJitter(Duration.ZERO), false, () -> 0L, time.monotonicNanos());
            Notifier notifier = new Notifier(new Notifier.Settings(NotifierTest.url(hook), null,
                    EnumSet.allOf(Notifier.Event.class), Duration.ofMinutes(1)));
            List<CycleReport> reports = new ArrayList<>();
            Agent[] agent = new Agent[1];
            Telemetry counting = report -> {
                reports.add(report);
                if (reports.size() == 200) {
                    agent[0].stop();
                }
            };
            agent[0] = new Agent(cycle, schedule, Telemetry.all(List.of(metrics, notifier, counting)), time, time);
            agent[0].run();
            notifier.close();

            // 200 s of checks every second (and polls every 64 s), each refusing the same skew again.
            assertThat(reports).hasSize(200).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(CycleReport.Outcome.REFUSED));
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(text).contains("timesync_refusals_total 1.0", "timesync_cycles_total{kind=\"service\",outcome=\"refused\"} 196.0");
            // Far more than a minute apart on the agent's clock, yet one notification, holding nothing back.
            assertThat(bodies).singleElement().satisfies(b -> {
                assertThat(new ObjectMapper().readTree(b).get("event").asText()).isEqualTo("refused");
                assertThat(new ObjectMapper().readTree(b).get("suppressed").asInt()).isZero();
            });
        } finally {
            hook.stop(0);
        }
    }
}
