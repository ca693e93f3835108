package io.timesync.agent;

import io.timesync.time.Mode;
import io.timesync.time.ProbeOptions;
import io.timesync.time.TimeSource;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Plan;
import io.timesync.memo.DecisionRecord;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.probe.ClockFilter;
import io.timesync.probe.HostResolver;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Decision;
import io.timesync.select.Optimizer;
import io.timesync.memo.Selection;
import io.timesync.select.SelectionPolicy;
import io.timesync.testing.OffsetBound;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One cycle against real UDP servers on loopback serving a chosen offset, a real memo file and a recording corrector. */
class CycleTest {

    static final ProbeOptions QUICK = ProbeOptions.defaults().withSamples(2).withSpacing(Duration.ofMillis(20))
            .withTimeout(Duration.ofMillis(300));

    @TempDir
    Path state;
    TimeServers servers;
    RecordingCorrector corrector = new RecordingCorrector();

    @BeforeEach
    void start() throws Exception {
        servers = new TimeServers(3);
    }

    @AfterEach
    void stop() throws Exception {
        servers.close();
    }

    Cycle cycle(Mode mode, boolean dryRun) {
        return cycle(mode, dryRun, null);
    }

    /** A cycle whose measure cycles send one request per server and decide on its last polls. */
    Cycle acrossPolls(Mode mode, boolean dryRun) {
        return cycle(mode, dryRun, new PollWindows());
    }

    private Cycle cycle(Mode mode, boolean dryRun, PollWindows polls) {
        ProbeRunner runner = runner(QUICK);
        SelectionPolicy selection = SelectionPolicy.defaults();
        Cycle.Settings settings = new Cycle.Settings(mode, CorrectionPolicy.defaults(), selection, Optimizer.Strategy.BEST,
                servers.addresses(), dryRun);
        return new Cycle(settings, new Optimizer(runner, selection), polls == null ? runner : runner(QUICK.withSamples(1)),
                List.of(), null, corrector, new JsonMemoStore(state), polls);
    }

    private static ProbeRunner runner(ProbeOptions options) {
        return new ProbeRunner(options, TimeSource.system(), HostResolver.system(), new SecureRandom());
    }

    static long now() {
        return TimeSource.system().wallClockNanos();
    }

    // Loopback under load scatters by up to a millisecond; the exact thresholds are CorrectionPolicyTest's.
    @ParameterizedTest(name = "{0} with a skew of {1} ns: {2}")
    @CsvSource({
        "LAZY,      0,          NONE",
        "FAST,      20000000,   SLEW",
        "ULTRAFAST, 20000000,   SLEW",
        "LAZY,      20000000,   SLEW",
        "FAST,      250000000,  STEP",
        "FAST,      -250000000, STEP",
        "FAST,      2000000000000, REFUSE"})
    void eachModeActsAboveItsOwnThreshold(Mode mode, long skew, CorrectionPolicy.Kind expected) throws Exception {
        servers.offsetNanos.set(skew);
        CycleReport r = cycle(mode, false).run(CycleKind.OPTIMIZE, now());

        OffsetBound.assertWithin(r.skewNanos(), r.measurement().samples(), skew, "skew");
        assertThat(r.action().kind()).isEqualTo(expected);
        assertThat(r.outcome()).isEqualTo(expected == CorrectionPolicy.Kind.REFUSE ? CycleReport.Outcome.REFUSED
                : CycleReport.Outcome.APPLIED);
        assertThat(corrector.clockSteps()).hasSize(expected == CorrectionPolicy.Kind.SLEW || expected == CorrectionPolicy.Kind.STEP ? 1 : 0);
        Memo memo = new JsonMemoStore(state).load();
        assertThat(memo.lastSkewNanos()).isEqualTo(r.skewNanos());
        assertThat(memo.selection().servers()).hasSize(3);
        assertThat(memo.lastDecision()).isEqualTo(new DecisionRecord(
                expected == CorrectionPolicy.Kind.REFUSE ? "refused" : expected.name().toLowerCase(java.util.Locale.ROOT),
                r.skewNanos(), r.atUnixNanos(), r.detail()));
    }

    @Test
    void aSlewTheLastCycleStartedIsNotStartedAgain() throws Exception {
        servers.offsetNanos.set(30_000_000);
        Cycle cycle = cycle(Mode.FAST, false);
        CycleReport first = cycle.run(CycleKind.OPTIMIZE, now());
        // The recording corrector slews nothing, so the next measurement shows the same skew.
        CycleReport second = cycle.run(CycleKind.MEASURE, now());

        assertThat(first.action().kind()).isEqualTo(CorrectionPolicy.Kind.SLEW);
        assertThat(second.action().kind()).isEqualTo(CorrectionPolicy.Kind.NONE);
        assertThat(second.action().reason()).contains("still in progress");
        assertThat(second.outcome()).isEqualTo(CycleReport.Outcome.IN_SYNC);
        assertThat(corrector.clockSteps()).hasSize(1);
        assertThat(new JsonMemoStore(state).load().lastCorrectionNanos()).isEqualTo(first.skewNanos());
    }

    @Test
    void aMeasureCycleProbesOnlyTheSelectionAndLeavesTheConfigurationAlone() throws Exception {
        servers.offsetNanos.set(-2_000_000);
        Cycle cycle = cycle(Mode.FAST, false);
        cycle.run(CycleKind.OPTIMIZE, now());
        Memo after = new JsonMemoStore(state).load();
        int before = servers.requests();
        servers.offsetNanos.set(-300_000_000);

        CycleReport r = cycle.run(CycleKind.MEASURE, now());

        assertThat(servers.requests() - before).isEqualTo(after.selection().servers().size() * QUICK.samples());
        assertThat(r.action().kind()).isEqualTo(CorrectionPolicy.Kind.STEP);
        assertThat(r.plan().steps()).singleElement().isInstanceOf(Plan.StepClock.class);
        assertThat(r.source()).isEqualTo(after.selection().servers().get(0));
        assertThat(new JsonMemoStore(state).load().selection()).isEqualTo(after.selection());
    }

    @Test
    void aSelectedServerThatTurnsAbsurdIsDroppedAtThatCycleAndNotCorrectedTo() throws Exception {
        Cycle cycle = cycle(Mode.FAST, false);
        CycleReport selected = cycle.run(CycleKind.OPTIMIZE, now());
        assertThat(selected.source()).isNotNull();
        servers.absurd.set(true);
        servers.offsetNanos.set(500_000_000_000L);

        CycleReport r = cycle.run(CycleKind.MEASURE, now());

        assertThat(r.outcome()).isEqualTo(CycleReport.Outcome.NO_SOURCE);
        assertThat(r.action()).isNull();
        assertThat(r.plan()).isNull();
        assertThat(r.detail()).startsWith("no selected server passed the sanity checks").contains("root distance");
        assertThat(r.decision().verdicts()).isNotEmpty().allSatisfy(v -> {
            assertThat(v.kind()).isEqualTo(Decision.Kind.ROOT_DISTANCE);
            assertThat(v.measurement().estimate().offsetNanos()).isGreaterThan(499_000_000_000L);
        });
        assertThat(corrector.clockSteps()).isEmpty();
    }

    @Test
    void aDryRunPlansButAppliesAndWritesNothing() throws Exception {
        servers.offsetNanos.set(50_000_000);
        Cycle cycle = cycle(Mode.FAST, true);
        CycleReport r = cycle.run(CycleKind.OPTIMIZE, now());
        CycleReport again = cycle.run(CycleKind.MEASURE, now());

        assertThat(r.outcome()).isEqualTo(CycleReport.Outcome.PLANNED);
        assertThat(r.plan().steps()).hasSize(2);
        // The in-memory memo carries the selection to the measure cycle.
        assertThat(again.source()).isEqualTo(r.source());
        assertThat(corrector.applied).isEmpty();
        try (var files = Files.list(state)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".json"))).isEmpty();
        }
    }

    @Test
    void aFailedCorrectionIsReportedAndNotRememberedAsMade() throws Exception {
        servers.offsetNanos.set(500_000);
        corrector.failing = true;
        CycleReport r = cycle(Mode.FAST, false).run(CycleKind.OPTIMIZE, now());

        assertThat(r.outcome()).isEqualTo(CycleReport.Outcome.CORRECTION_FAILED);
        assertThat(r.detail()).contains("the service said no");
        Memo memo = new JsonMemoStore(state).load();
        assertThat(memo.lastCorrectionNanos()).isNull();
        assertThat(memo.lastSkewNanos()).isEqualTo(r.skewNanos());
        assertThat(memo.lastDecision().action()).isEqualTo("failed");
        assertThat(memo.lastDecision().reason()).contains("the service said no");

        // A cycle that measures nothing decides nothing: the last decision stays.
        servers.silent.set(true);
        corrector.failing = false;
        cycle(Mode.FAST, false).run(CycleKind.OPTIMIZE, now());
        assertThat(new JsonMemoStore(state).load().lastDecision()).isEqualTo(memo.lastDecision());
    }

    @Test
    void silentServersGiveNoSourceAndTheRunIsRecorded() throws Exception {
        servers.silent.set(true);
        CycleReport r = cycle(Mode.FAST, false).run(CycleKind.OPTIMIZE, now());

        assertThat(r.outcome()).isEqualTo(CycleReport.Outcome.NO_SOURCE);
        assertThat(r.measured()).isFalse();
        assertThat(r.detail()).startsWith("no server selected");
        Memo memo = new JsonMemoStore(state).load();
        assertThat(memo.servers()).hasSize(3).allSatisfy((k, v) -> assertThat(v.runs()).isEqualTo(1));
    }

    @Test
    void aMemoThatCannotBeWrittenIsKeptInMemorySoTheConfiguredServersAreTheOnesMeasured() throws Exception {
        // The file says an old server is selected; then the state stops being writable (even for root:
        // the lock file's name is taken by a directory).
        String old = "127.0.0.1:9";
        new JsonMemoStore(state).update(m -> Memo.EMPTY.withSelection(new Selection(List.of(old), null, 0)));
        Files.delete(state.resolve("memo.lock"));
        Path lock = Files.createDirectory(state.resolve("memo.lock"));
        servers.offsetNanos.set(2_000_000);
        Cycle cycle = cycle(Mode.FAST, false);

        CycleReport optimized = cycle.run(CycleKind.OPTIMIZE, now());

        assertThat(optimized.recordFailure()).contains("memo.lock").contains("directory");
        List<String> configured = optimized.decision().selection().servers();
        assertThat(configured).isNotEmpty().doesNotContain(old);
        assertThat(new JsonMemoStore(state).load().selection().servers()).containsExactly(old);

        CycleReport measured = cycle.run(CycleKind.MEASURE, now());

        assertThat(measured.outcome()).isNotEqualTo(CycleReport.Outcome.NO_SOURCE);
        assertThat(measured.source()).isIn(configured);
        assertThat(measured.recordFailure()).isNotNull();

        // Writable again: the memo held in memory is what is written.
        Files.delete(lock);
        CycleReport written = cycle.run(CycleKind.MEASURE, now());
        assertThat(written.recordFailure()).isNull();
        assertThat(new JsonMemoStore(state).load().selection().servers()).isEqualTo(configured);
    }
    @Test
    void eachPollSendsOneRequestPerServerAndTheDecisionFiltersTheLastEightPolls() throws Exception {
        Cycle cycle = acrossPolls(Mode.ULTRAFAST, true);
        CycleReport optimized = cycle.run(CycleKind.OPTIMIZE, now());
        int selected = optimized.decision().selection().servers().size();
        int before = servers.requests();

        CycleReport first = cycle.run(CycleKind.MEASURE, now());
        assertThat(servers.requests() - before).isEqualTo(selected);
        // The optimize cycle's samples of the server start its window.
        assertThat(first.measurement().estimate().sampleCount()).isEqualTo(QUICK.samples() + 1);

        CycleReport last = first;
        for (int i = 0; i < ClockFilter.SIZE; i++) {
            last = cycle.run(CycleKind.MEASURE, now());
        }
        assertThat(servers.requests() - before).isEqualTo(selected * (ClockFilter.SIZE + 1));
        assertThat(last.measurement().estimate().sampleCount()).isEqualTo(ClockFilter.SIZE);
        assertThat(last.measurement().reach()).isEqualTo(0xFF);
        OffsetBound.assertWithin(last.skewNanos(), last.measurement().samples(), 0, "skew");
        // Servers on our own clock: noise, never a correction.
        assertThat(last.action().kind()).isEqualTo(CorrectionPolicy.Kind.NONE);
    }

    @Test
    void aCorrectionEmptiesThePollWindowsSinceEarlierSamplesNoLongerDescribeTheClock() throws Exception {
        servers.offsetNanos.set(250_000_000);
        Cycle cycle = acrossPolls(Mode.FAST, false);
        CycleReport optimized = cycle.run(CycleKind.OPTIMIZE, now());
        assertThat(optimized.action().kind()).isEqualTo(CorrectionPolicy.Kind.STEP);
        assertThat(corrector.clockSteps()).hasSize(1);

        CycleReport next = cycle.run(CycleKind.MEASURE, now());

        assertThat(next.measurement().estimate().sampleCount()).isEqualTo(1);
    }
}
