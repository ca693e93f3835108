package io.timesync.agent;

import io.timesync.time.Mode;
import io.timesync.time.ProbeOptions;
import io.timesync.time.TimeSource;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Plan;
import io.timesync.memo.JsonMemoStore;
import io.timesync.probe.HostResolver;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Optimizer;
import io.timesync.select.SelectionPolicy;
import io.timesync.testing.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.timesync.correct.CorrectionPolicy.Kind.NONE;
import static io.timesync.correct.CorrectionPolicy.Kind.SLEW;
import static io.timesync.correct.CorrectionPolicy.Kind.STEP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop on a fake clock (waits take no time) over real cycles: real UDP servers on loopback, a real
 * memo file, a recording corrector. And a real stop on the real clock.
 */
class AgentTest {

    static final long S = 1_000_000_000L;

    @TempDir
    Path state;
    TimeServers servers;
    final RecordingCorrector corrector = new RecordingCorrector();
    final List<CycleReport> reports = new ArrayList<>();
    final List<String> states = new ArrayList<>();
    final List<Long> stateTimes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        servers = new TimeServers(3);
    }

    @AfterEach
    void stop() throws Exception {
        servers.close();
    }

    Cycle cycle(ProbeOptions options) {
        return cycle(Mode.FAST, options);
    }

    Cycle cycle(Mode mode, ProbeOptions options) {
        ProbeRunner runner = new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
        SelectionPolicy selection = SelectionPolicy.defaults();
        return new Cycle(new Cycle.Settings(mode, CorrectionPolicy.defaults(), selection, Optimizer.Strategy.BEST,
                servers.addresses(), false), new Optimizer(runner, selection), runner, null, corrector, new JsonMemoStore(state));
    }

    Agent agent(Cycle cycle, TimeSource time, Sleeper sleeper, Duration optimizeInterval, Consumer<Agent> afterEach) {
        // The loopback servers are the test's own: an optimize interval below the public floor is kept only for them.
        boolean own = optimizeInterval.compareTo(Schedule.PUBLIC_POLL_FLOOR) < 0;
        Schedule schedule = new Schedule(Schedule.Settings.forMode(cycle.settings().mode(), own, optimizeInterval)
                .withStartJitter(Duration.ZERO), false, () -> 0L, time.monotonicNanos());
        Agent[] self = new Agent[1];
        self[0] = new Agent(cycle, schedule, new Telemetry() {
            @Override
            public void cycle(CycleReport report) {
                reports.add(report);
                afterEach.accept(self[0]);
            }

            @Override
            public void stateChanged(AgentState from, AgentState to, String reason, long atUnixNanos) {
                states.add(from + "->" + to);
                stateTimes.add(atUnixNanos);
            }
        }, time, sleeper);
        return self[0];
    }

    List<CycleReport> network() {
        return reports.stream().filter(r -> r.kind() != CycleKind.SERVICE).toList();
    }

    List<CycleReport> ticks() {
        return reports.stream().filter(r -> r.kind() == CycleKind.SERVICE).toList();
    }

    @Test
    void measuresOnScheduleRevisitsTheSelectionAndRepeatsNoRunningSlew() throws Exception {
        servers.offsetNanos.set(50_000_000);
        FakeTime time = new FakeTime();
        Agent agent = agent(cycle(CycleTest.QUICK), time, time, Duration.ofMinutes(3), a -> {
            if (network().size() == 6) {
                a.stop();
            }
        });
        agent.run();

        assertThat(network()).extracting(r -> r.kind() + "@" + (r.atUnixNanos() - time.wallStart) / S)
                .containsExactly("OPTIMIZE@0", "MEASURE@64", "MEASURE@128", "OPTIMIZE@192", "MEASURE@256", "MEASURE@320");
        // A slew of 50 ms at 500 ppm takes 100 s. The recording corrector slews nothing, so the same skew
        // comes back: within those 100 s it is the running slew, after them a new one.
        assertThat(network()).extracting(r -> r.action().kind()).containsExactly(SLEW, NONE, SLEW, NONE, SLEW, NONE);
        // The checks at 60 s (no service here) evaluate the last measurement as of when it was made: the
        // one at 124 s does not take the measurement of 64 s for a new skew although 100 s have passed.
        assertThat(ticks()).extracting(r -> (r.atUnixNanos() - time.wallStart) / S).containsExactly(60L, 124L, 188L, 252L, 316L);
        assertThat(ticks()).extracting(r -> r.action().kind()).containsOnly(NONE);
        assertThat(corrector.clockSteps()).hasSize(3);
        assertThat(states).containsExactly("STARTING->SYNCHRONIZED", "SYNCHRONIZED->STOPPED");
        assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
        assertThat(new JsonMemoStore(state).load().lastSkewAtUnixNanos()).isEqualTo(network().get(5).atUnixNanos());
    }

    @Test
    void ultrafastWithoutAServiceChecksTheLastMeasurementEverySecondWithoutTheNetwork() throws Exception {
        servers.offsetNanos.set(50_000_000);
        FakeTime time = new FakeTime();
        List<Integer> requests = new ArrayList<>();
        Agent agent = agent(cycle(Mode.ULTRAFAST, CycleTest.QUICK), time, time, Duration.ofHours(6), a -> {
            requests.add(servers.requests());
            if (network().size() == 3) {
                a.stop();
            }
        });
        agent.run();

        assertThat(network()).extracting(r -> r.kind() + "@" + (r.atUnixNanos() - time.wallStart) / S)
                .containsExactly("OPTIMIZE@0", "MEASURE@64", "MEASURE@128");
        assertThat(ticks()).hasSize(126).allSatisfy(r -> {
            assertThat(r.measured()).isTrue();
            assertThat(r.action().kind()).isEqualTo(NONE);
            assertThat(r.detail()).contains("no time service to read: evaluated the measurement of");
        });
        // Each check saw the skew of the network cycle before it, and sent nothing.
        for (int i = 1; i < reports.size(); i++) {
            CycleReport r = reports.get(i);
            if (r.kind() == CycleKind.SERVICE) {
                CycleReport before = reports.get(i - 1);
                assertThat(r.skewNanos()).isEqualTo(before.skewNanos());
                assertThat(r.source()).isEqualTo(before.source());
                assertThat(requests.get(i)).isEqualTo(requests.get(i - 1));
            }
        }
        // 50 ms at 500 ppm take 100 s: slewed at 0 and, still measured (nothing slews here), at 128 s.
        assertThat(network()).extracting(r -> r.action().kind()).containsExactly(SLEW, NONE, SLEW);
        assertThat(corrector.clockSteps()).hasSize(2);
        assertThat(new JsonMemoStore(state).load().lastSkewAtUnixNanos()).isEqualTo(network().get(2).atUnixNanos());
    }

    @Test
    void aStepTheServiceHasNotReflectedIsNotRepeatedByTheChecksNorTheNextPoll() throws Exception {
        servers.offsetNanos.set(250_000_000);
        FakeTime time = new FakeTime();
        Agent agent = agent(cycle(Mode.ULTRAFAST, CycleTest.QUICK), time, time, Duration.ofHours(6), a -> {
            if (network().size() == 3) {
                a.stop();
            }
        });
        agent.run();

        // The recording corrector steps nothing, so the servers keep showing 250 ms: the poll at 64 s
        // takes it for the step not yet reflected; at 128 s (two service polls later) it steps again.
        assertThat(network()).extracting(r -> r.action().kind()).containsExactly(STEP, NONE, STEP);
        assertThat(network().get(1).action().reason()).contains("has not reflected yet");
        assertThat(ticks()).hasSize(126).allSatisfy(r -> assertThat(r.action().kind()).isEqualTo(NONE));
        assertThat(corrector.clockSteps()).containsExactly(Plan.StepClock.class, Plan.StepClock.class);
    }

    static String at(CycleReport r, FakeTime time) {
        return r.kind() + "@" + (r.atUnixNanos() - time.wallStart) / S;
    }

    @Test
    void aRefusalTheChecksMeetAgainEverySecondIsReportedOnceUntilTheSkewChanges() throws Exception {
        servers.offsetNanos.set(2_000 * S);
        FakeTime time = new FakeTime();
        Agent agent = agent(cycle(Mode.ULTRAFAST, CycleTest.QUICK), time, time, Duration.ofHours(6), a -> {
            if (network().size() == 2) {
                servers.offsetNanos.set(3_000 * S);
            }
            if (network().size() == 4) {
                a.stop();
            }
        });
        agent.run();

        assertThat(reports).hasSize(4 + 189).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(CycleReport.Outcome.REFUSED));
        // Every check and poll refuses again; only the first refusal and the one of the new skew are new.
        assertThat(reports.stream().filter(r -> !r.repeated())).extracting(r -> at(r, time))
                .containsExactly("OPTIMIZE@0", "MEASURE@128");
    }

    @Test
    void aFailedCorrectionIsTriedAgainOnlyAfterAPollAndReportedOnce() throws Exception {
        servers.offsetNanos.set(50_000_000);
        corrector.failing = true;
        FakeTime time = new FakeTime();
        List<Integer> attemptsAt = new ArrayList<>();
        Agent agent = agent(cycle(Mode.ULTRAFAST, CycleTest.QUICK), time, time, Duration.ofHours(6), a -> {
            CycleReport r = reports.get(reports.size() - 1);
            if (corrector.attempts > attemptsAt.size()) {
                attemptsAt.add((int) ((r.atUnixNanos() - time.wallStart) / S));
            }
            // The service takes corrections again from 100 s on.
            corrector.failing = (r.atUnixNanos() - time.wallStart) / S < 100;
            if (network().size() == 3) {
                a.stop();
            }
        });
        agent.run();

        // Checked every second, but tried at the optimize cycle, once a poll interval later, then taken.
        assertThat(attemptsAt).startsWith(0, 64, 128);
        assertThat(reports.stream().filter(r -> r.outcome() == CycleReport.Outcome.APPLIED)).first()
                .satisfies(r -> assertThat((r.atUnixNanos() - time.wallStart) / S).isEqualTo(128));
        List<CycleReport> failed = reports.stream().filter(r -> r.outcome() == CycleReport.Outcome.CORRECTION_FAILED).toList();
        assertThat(failed).hasSizeGreaterThan(100);
        assertThat(failed.stream().filter(r -> !r.repeated())).extracting(r -> at(r, time)).containsExactly("OPTIMIZE@0");
        assertThat(failed.get(1).detail()).startsWith("not tried again: the same correction failed at ");
    }

    @Test
    void aReportThatFailsDoesNotStopTheAgent() throws Exception {
        servers.offsetNanos.set(1_000_000);
        FakeTime time = new FakeTime();
        Cycle cycle = cycle(CycleTest.QUICK);
        Schedule schedule = new Schedule(Schedule.Settings.forMode(Mode.FAST, false, Duration.ofHours(6))
                .withStartJitter(Duration.ZERO), false, () -> 0L, time.monotonicNanos());
        Agent[] self = new Agent[1];
        // Like a notifier whose channel is down, on every report.
        self[0] = new Agent(cycle, schedule, new Telemetry() {
            @Override
            public void cycle(CycleReport report) {
                reports.add(report);
                if (reports.size() == 4) {
                    self[0].stop();
                }
                throw new IllegalStateException("the webhook is down");
            }

            @Override
            public void stateChanged(AgentState from, AgentState to, String reason, long atUnixNanos) {
                states.add(from + "->" + to);
                stateTimes.add(atUnixNanos);
                throw new IllegalStateException("the webhook is down");
            }
        }, time, time);
        self[0].run();

        assertThat(reports).hasSize(4);
        assertThat(states).containsExactly("STARTING->SYNCHRONIZED", "SYNCHRONIZED->STOPPED");
        assertThat(reports).extracting(CycleReport::measured).containsOnly(true);
        assertThat(new JsonMemoStore(state).load().lastSkewAtUnixNanos()).isEqualTo(network().get(network().size() - 1).atUnixNanos());
    }

    @Test
    void anOutageIsOneStateChangeWithBackoffAndRecoveryIsAnother() throws Exception {
        servers.silent.set(true);
        FakeTime time = new FakeTime();
        ProbeOptions quick = CycleTest.QUICK.withSamples(1).withTimeout(Duration.ofMillis(100));
        Agent agent = agent(cycle(quick), time, time, Duration.ofHours(6), a -> {
            if (reports.size() == 4) {
                servers.silent.set(false);
            }
            if (network().size() == 6) {
                a.stop();
            }
        });
        agent.run();

        // Without a service, there is nothing to check during the outage: no tick until it ends.
        assertThat(ticks()).extracting(r -> (r.atUnixNanos() - time.wallStart) / S).containsExactly(1020L);
        assertThat(network()).extracting(r -> r.kind() + "@" + (r.atUnixNanos() - time.wallStart) / S)
                .containsExactly("OPTIMIZE@0", "OPTIMIZE@64", "OPTIMIZE@192", "OPTIMIZE@448", "OPTIMIZE@960", "MEASURE@1024");
        assertThat(reports.subList(0, 4)).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(CycleReport.Outcome.NO_SOURCE));
        assertThat(states).containsExactly("STARTING->OUTAGE", "OUTAGE->SYNCHRONIZED", "SYNCHRONIZED->STOPPED");
        // On the agent's clock, as its reports are: the cycles that changed the state, then the stop.
        assertThat(stateTimes).containsExactly(reports.get(0).atUnixNanos(), network().get(4).atUnixNanos(),
                time.wallClockNanos());
    }

    @Test
    void stopEndsAMeasurementInFlightWithinASecondAndTheMemoStaysValid() throws Exception {
        servers.offsetNanos.set(1_000_000);
        TimeSource time = TimeSource.system();
        Sleeper sleeper = Sleeper.on(time);
        CountDownLatch firstCycle = new CountDownLatch(1);
        Agent agent = agent(cycle(CycleTest.QUICK), time, sleeper, Duration.ofSeconds(1), a -> firstCycle.countDown());
        Thread thread = running(agent);
        assertThat(firstCycle.await(10, TimeUnit.SECONDS)).isTrue();
        // The next optimize (due after 1 s) meets silent servers and 5 s timeouts: stop lands in flight.
        servers.silent.set(true);
        Thread.sleep(1_500);

        long before = System.nanoTime();
        agent.stop();
        thread.join(5_000);

        assertThat(thread.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        assertThat(reports).hasSize(1);
        assertThat(new JsonMemoStore(state).load().lastSkewNanos()).isEqualTo(reports.get(0).skewNanos());
    }

    @Test
    void stopEndsAWaitAtOnce() throws Exception {
        TimeSource time = TimeSource.system();
        Agent agent = agent(cycle(CycleTest.QUICK), time, Sleeper.on(time), Duration.ofHours(6), a -> a.stop());
        Thread thread = running(agent);
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(reports).hasSize(1);
    }

    /** The agent running on a thread of its own. */
    private static Thread running(Agent agent) {
        Thread thread = new Thread(() -> {
            try {
                agent.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        return thread;
    }
}
