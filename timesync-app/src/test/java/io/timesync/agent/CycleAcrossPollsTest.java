package io.timesync.agent;

import io.timesync.correct.CorrectionPolicy;
import io.timesync.memo.JsonMemoStore;
import io.timesync.probe.ClockFilter;
import io.timesync.probe.HostResolver;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Optimizer;
import io.timesync.select.SelectionPolicy;
import io.timesync.testing.OffsetBound;
import io.timesync.time.Mode;
import io.timesync.time.TimeSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measure cycles that send one request per selected server and decide on its last polls, against real
 * UDP servers on loopback, a real memo file and a recording corrector.
 */
class CycleAcrossPollsTest {

    @TempDir
    Path state;
    TimeServers servers;
    RecordingCorrector corrector = new RecordingCorrector();

    @BeforeEach
    void start() throws Exception {
        servers = new TimeServers(2);
    }

    @AfterEach
    void stop() throws Exception {
        servers.close();
    }

    Cycle cycle(Mode mode, boolean dryRun) {
        ProbeRunner optimizing = runner(CycleTest.QUICK.samples());
        SelectionPolicy selection = SelectionPolicy.defaults();
        Cycle.Settings settings = new Cycle.Settings(mode, CorrectionPolicy.defaults(), selection, Optimizer.Strategy.BEST,
                servers.addresses(), dryRun);
        return new Cycle(settings, new Optimizer(optimizing, selection), runner(1), java.util.List.of(), null, corrector,
                new JsonMemoStore(state), new PollWindows());
    }

    private static ProbeRunner runner(int samples) {
        return new ProbeRunner(CycleTest.QUICK.withSamples(samples), TimeSource.system(), HostResolver.system(), new SecureRandom());
    }

    @Test
    void eachPollSendsOneRequestPerServerAndTheDecisionFiltersTheLastEightPolls() throws Exception {
        Cycle cycle = cycle(Mode.ULTRAFAST, true);
        CycleReport optimized = cycle.run(CycleKind.OPTIMIZE, CycleTest.now());
        int selected = optimized.decision().selection().servers().size();
        int before = servers.requests();

        CycleReport first = cycle.run(CycleKind.MEASURE, CycleTest.now());
        assertThat(servers.requests() - before).isEqualTo(selected);
        // The optimize cycle's samples of the server start its window.
        assertThat(first.measurement().estimate().sampleCount()).isEqualTo(CycleTest.QUICK.samples() + 1);

        CycleReport last = first;
        for (int i = 0; i < ClockFilter.SIZE; i++) {
            last = cycle.run(CycleKind.MEASURE, CycleTest.now());
        }
        assertThat(servers.requests() - before).isEqualTo(selected * (ClockFilter.SIZE + 1));
        assertThat(last.measurement().estimate().sampleCount()).isEqualTo(ClockFilter.SIZE);
        assertThat(last.measurement().reach()).isEqualTo(0xFF);
        OffsetBound.assertWithin(last.skewNanos(), last.measurement().estimate().best(), 0, "skew");
        // Honest servers on our own clock: noise, never a correction.
        assertThat(last.action().kind()).isEqualTo(CorrectionPolicy.Kind.NONE);
    }

    @Test
    void aCorrectionEmptiesTheWindowsSinceEarlierSamplesNoLongerDescribeTheClock() throws Exception {
        servers.offsetNanos.set(250_000_000);
        Cycle cycle = cycle(Mode.FAST, false);
        CycleReport optimized = cycle.run(CycleKind.OPTIMIZE, CycleTest.now());
        assertThat(optimized.action().kind()).isEqualTo(CorrectionPolicy.Kind.STEP);
        assertThat(corrector.clockSteps()).hasSize(1);

        CycleReport next = cycle.run(CycleKind.MEASURE, CycleTest.now());

        assertThat(next.measurement().estimate().sampleCount()).isEqualTo(1);
    }
}
