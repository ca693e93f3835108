package io.timesync.agent;

import io.timesync.time.Measurement;
import io.timesync.time.Mode;
import io.timesync.time.ServerAddress;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.Corrector;
import io.timesync.memo.DecisionRecord;
import io.timesync.memo.Memo;
import io.timesync.memo.MemoException;
import io.timesync.memo.MemoStore;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Decision;
import io.timesync.select.Decision.Kind;
import io.timesync.select.Decision.Verdict;
import io.timesync.select.Optimizer;
import io.timesync.select.RunRecorder;
import io.timesync.select.SanityCheck;
import io.timesync.select.SelectionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One run of the agent, shared by {@code timesync sync} (one optimize cycle) and the daemon (every
 * kind, on a {@link Schedule}): measure the skew, decide with the {@link CorrectionPolicy} and the
 * memo, correct through the time service, record.
 *
 * <p>A cycle has two phases so that the agent can stop quickly: {@link #measure} only reads (the
 * network or the service) and may be interrupted at any time; {@link #finish} changes things
 * (the service, the memo) and should run to its end.
 *
 * <p>In a dry run nothing is applied and the memo file is not written; the memo is kept in memory
 * instead, so a dry-run daemon still has a selection to measure and hysteresis to apply. When the
 * memo cannot be written, it is kept in memory the same way (and the report says why) until a write
 * succeeds: what was configured is what is measured next, whatever the older file says.
 *
 * <p>A cycle orchestrates; the rules are classes of their own: {@link NtsRules} (which selected
 * servers are measured how), {@link CorrectionAttempt} (plan and apply, held back by a
 * {@link RetryGuard}), {@link RepeatedDecisions}, {@link MemoKeeper} (the memo, in the store or
 * in memory) and {@link PollWindows} (each server's last polls, where polls are fast).
 */
public final class Cycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Cycle.class);

    /**
     * How cycles decide.
     *
     * @param mode       the threshold to act above
     * @param correction slew, step and panic bounds
     * @param selection  scoring, hysteresis and blacklist rules
     * @param strategy   how optimize cycles choose
     * @param candidates the servers optimize cycles choose from, in order of preference
     * @param dryRun     plan but apply and record nothing
     */
    public record Settings(Mode mode, CorrectionPolicy correction, SelectionPolicy selection, Optimizer.Strategy strategy,
                           List<ServerAddress> candidates, boolean dryRun) {
        /** Checks and copies. */
        public Settings {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(correction, "correction");
            Objects.requireNonNull(selection, "selection");
            Objects.requireNonNull(strategy, "strategy");
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * What {@link #measure} found, to be decided on by {@link #finish}.
     *
     * @param kind        the cycle's kind
     * @param atUnixNanos when
     * @param memo        the memo the measurement was made against
     * @param decision    the verdicts, or null for a service reading
     * @param source      where the skew comes from, or null
     * @param measurement the source's measurement, or null
     * @param detail      why there is no source, or a summary
     * @param skewAtUnixNanos when the skew was measured: {@code atUnixNanos}, except for a tick that
     *                    evaluates an earlier measurement again
     */
    public record Measured(CycleKind kind, long atUnixNanos, Memo memo, Decision decision, String source,
                           Measurement measurement, String detail, long skewAtUnixNanos) {
        /** A measurement made now. */
        public Measured(CycleKind kind, long atUnixNanos, Memo memo, Decision decision, String source,
                        Measurement measurement, String detail) {
            this(kind, atUnixNanos, memo, decision, source, measurement, detail, atUnixNanos);
        }

        /** The skew, or null when nothing answered. */
        public Long skewNanos() {
            return measurement == null ? null : measurement.estimate().offsetNanos();
        }
    }

    /**
     * How long a correction that failed is not tried again for about the same skew, except by an
     * optimize cycle (which configures the servers anew): one of a service's usual 64 s polls.
     */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(64);

    private final Settings settings;
    private final Optimizer optimizer;
    private final ProbeRunner selectedRunner;
    private final List<Probe> ntsProbes;
    private final Probe serviceProbe;
    private final RunRecorder recorder;
    private final SanityCheck sanity;
    private final MemoKeeper memoKeeper;
    private final CorrectionAttempt attempt;
    private final RepeatedDecisions repeats;
    // Each selected server's last polls, when a poll sends one request and the decision filters across polls; else null.
    private final PollWindows polls;
    // The last network cycle's measurement, while it had one: what ticks evaluate when there is no service to read.
    private Measured lastNetwork;

    /**
     * @param settings       how to decide
     * @param optimizer      probes the candidates (optimize cycles)
     * @param selectedRunner probes the selected servers (measure cycles)
     * @param serviceProbe   reads the local time service (service cycles), or null when there is none:
     *                       service cycles then evaluate the last filtered measurement again
     * @param corrector      the time service's corrector
     * @param store          the memo
     */
    public Cycle(Settings settings, Optimizer optimizer, ProbeRunner selectedRunner, Probe serviceProbe,
                 Corrector corrector, MemoStore store) {
        this(settings, optimizer, selectedRunner, List.of(), serviceProbe, corrector, store);
    }

    /**
     * A cycle that also measures NTS servers: in measure cycles, a selected server that one of
     * {@code ntsProbes} authenticates is measured through it, never in plain NTP.
     */
    public Cycle(Settings settings, Optimizer optimizer, ProbeRunner selectedRunner, List<? extends Probe> ntsProbes,
                 Probe serviceProbe, Corrector corrector, MemoStore store) {
        this(settings, optimizer, selectedRunner, ntsProbes, serviceProbe, corrector, store, null);
    }

    /**
     * A cycle whose measure cycles decide on each plain server's last polls: {@code selectedRunner}
     * then sends one request per server (see {@link PollWindows#suit}), and {@code polls} keeps the
     * samples between cycles; null decides on each cycle's own samples only.
     */
    public Cycle(Settings settings, Optimizer optimizer, ProbeRunner selectedRunner, List<? extends Probe> ntsProbes,
                 Probe serviceProbe, Corrector corrector, MemoStore store, PollWindows polls) {
        this.polls = polls;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.selectedRunner = Objects.requireNonNull(selectedRunner, "selectedRunner");
        this.ntsProbes = List.copyOf(ntsProbes);
        this.serviceProbe = serviceProbe;
        this.recorder = new RunRecorder(settings.selection());
        this.sanity = new SanityCheck(settings.selection());
        this.memoKeeper = new MemoKeeper(store, settings.dryRun());
        this.attempt = new CorrectionAttempt(corrector, settings.dryRun(),
                new RetryGuard(settings.mode(), RETRY_AFTER_FAILURE));
        this.repeats = new RepeatedDecisions(settings.mode());
    }

    /** Ends the threads of its runners. */
    @Override
    public void close() {
        optimizer.close();
        selectedRunner.close();
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** Whether service cycles are possible. */
    public boolean hasServiceProbe() {
        return serviceProbe != null;
    }

    /** Both phases at once. */
    public CycleReport run(CycleKind kind, long nowUnixNanos) throws InterruptedException, MemoException {
        return finish(measure(kind, nowUnixNanos));
    }

    /**
     * Reads the memo and measures: the candidates, the selected servers or the service.
     *
     * @throws MemoException        when the memo cannot be read
     * @throws InterruptedException when interrupted; nothing was changed
     */
    public Measured measure(CycleKind kind, long now) throws InterruptedException, MemoException {
        Memo memo = memoKeeper.current();
        return switch (kind) {
            case OPTIMIZE -> optimized(memo, now);
            case MEASURE -> measuredSelection(memo, now);
            case SERVICE -> serviceReading(memo, now);
        };
    }

    private Measured optimized(Memo memo, long now) throws InterruptedException {
        Decision decision = optimizer.run(settings.strategy(), settings.candidates(), memo, now);
        if (!decision.hasSelection()) {
            return new Measured(CycleKind.OPTIMIZE, now, memo, decision, null, null, "no server selected: " + decision.summary());
        }
        String primary = decision.selection().servers().get(0);
        if (polls != null) {
            // The selection's samples start its windows; a server no longer selected is no longer polled.
            polls.keepOnly(decision.selection().servers());
            for (Verdict v : decision.verdicts()) {
                if (v.kind() == Kind.SELECTED) {
                    polls.record(v.measurement());
                }
            }
        }
        Measurement m = decision.verdicts().stream().filter(v -> v.key().equals(primary)).findFirst()
                .orElseThrow().measurement();
        return new Measured(CycleKind.OPTIMIZE, now, memo, decision, primary, m, decision.summary());
    }

    private Measured measuredSelection(Memo memo, long now) throws InterruptedException {
        List<String> keys = memo.selection().servers();
        if (keys.isEmpty()) {
            return new Measured(CycleKind.MEASURE, now, memo, null, null, null, "nothing is selected yet");
        }
        // NTS first: a selected server it authenticates is not asked again in plain NTP.
        boolean required = settings.selection().requireAuthenticated();
        NtsRules.Outcome nts = NtsRules.apply(keys, memo,
                ntsProbes.isEmpty() ? List.of() : selectedRunner.measure(ntsProbes), required);
        Map<String, Measurement> byKey = new HashMap<>(nts.measured());
        Map<String, String> downgraded = nts.downgraded();
        for (Measurement m : nts.plain().isEmpty() ? List.<Measurement>of() : selectedRunner.probe(nts.plain())) {
            byKey.put(m.key(), polls == null ? m : polls.filtered(m, now));
        }
        if (polls != null) {
            polls.keepOnly(keys);
        }
        List<Measurement> measurements = keys.stream().map(byKey::get).filter(Objects::nonNull).toList();
        List<Verdict> verdicts = new ArrayList<>();
        Measurement first = null;
        boolean failedChecks = false;
        for (Measurement m : measurements) {
            // A server that answered well when it was selected may have turned absurd since: dropped for this cycle.
            Verdict rejection = m.answered() ? sanity.rejection(m) : null;
            if (rejection != null) {
                log.warn("{}: {}; not used this cycle", m.key(), rejection.reason());
                verdicts.add(rejection);
                failedChecks = true;
            } else if (m.answered()) {
                verdicts.add(new Verdict(m.key(), m, Kind.SELECTED, Double.NaN, Map.of(),
                        downgraded.getOrDefault(m.key(), "selected")));
                first = first == null ? m : first;
            } else {
                verdicts.add(new Verdict(m.key(), m, required ? Kind.UNAUTHENTICATED : Kind.UNREACHABLE, Double.NaN,
                        Map.of(), m.error()));
            }
        }
        String failures = downgraded.isEmpty() ? "" : "; " + downgraded.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).sorted().collect(Collectors.joining("; "));
        if (first == null) {
            String summary = required
                    ? "no selected server gave an NTS-authenticated answer: " + verdicts.stream()
                            .map(v -> v.key() + ": " + v.reason()).collect(Collectors.joining("; "))
                    : failedChecks ? "no selected server passed the sanity checks: " + verdicts.stream()
                            .map(v -> v.key() + ": " + v.reason()).collect(Collectors.joining("; "))
                    : "no selected server answered" + failures;
            Decision decision = new Decision(verdicts, memo.selection(), Decision.Outcome.NONE_USABLE, summary);
            return new Measured(CycleKind.MEASURE, now, memo, decision, null, null, decision.summary());
        }
        Decision decision = new Decision(verdicts, memo.selection(), Decision.Outcome.KEPT, "measured the selection" + failures);
        return new Measured(CycleKind.MEASURE, now, memo, decision, first.key(), first, decision.summary());
    }

    private Measured serviceReading(Memo memo, long now) throws InterruptedException {
        if (serviceProbe == null) {
            return lastMeasurement(memo, now);
        }
        Measurement m = serviceProbe.measure();
        if (!m.answered()) {
            return new Measured(CycleKind.SERVICE, now, memo, null, null, null, serviceProbe.source() + ": " + m.error());
        }
        return new Measured(CycleKind.SERVICE, now, memo, null, serviceProbe.source(), m, "read " + serviceProbe.source());
    }

    /**
     * With no service to read, a tick has no new view of the clock: it evaluates the last filtered
     * measurement again, as of when it was made, so it can only repeat that cycle's decision (which
     * the memo then suppresses, since the correction is already made) and never polls a server.
     */
    private Measured lastMeasurement(Memo memo, long now) {
        Measured last = lastNetwork;
        if (last == null) {
            return new Measured(CycleKind.SERVICE, now, memo, null, null, null,
                    "no time service to read, and no measurement to evaluate again");
        }
        return new Measured(CycleKind.SERVICE, now, memo, null, last.source(), last.measurement(),
                "no time service to read: evaluated the measurement of " + last.source() + " from "
                        + Instant.ofEpochSecond(0, last.skewAtUnixNanos()) + " again",
                last.skewAtUnixNanos());
    }

    /**
     * Decides, corrects and records. In a dry run, plans only and keeps the memo in memory.
     */
    public CycleReport finish(Measured measured) {
        Memo memo = measured.memo();
        long now = measured.atUnixNanos();
        Long skew = measured.skewNanos();
        if (measured.kind() != CycleKind.SERVICE) {
            lastNetwork = skew == null ? null : measured;
        }
        if (skew == null) {
            String failure = memoKeeper.record(m -> recorded(m, measured, null, null, null), memo);
            return new CycleReport(measured.kind(), now, measured.decision(), null, null, null, null, null, null,
                    CycleReport.Outcome.NO_SOURCE, measured.detail(), null, failure, false);
        }
        // As of the measurement: a skew evaluated again must not find a slew it caused already finished.
        Action action = settings.correction().decide(settings.mode(), skew,
                CorrectionPolicy.uncertaintyNanos(measured.measurement().estimate()), memo.lastCorrectionNanos(),
                memo.lastCorrectionAtUnixNanos(), measured.skewAtUnixNanos());
        String detail = measured.skewAtUnixNanos() == now ? action.reason() : action.reason() + " (" + measured.detail() + ")";
        CorrectionAttempt.Result done = attempt.make(measured, action, detail);
        boolean corrected = done.applied() != null
                && (action.kind() == CorrectionPolicy.Kind.SLEW || action.kind() == CorrectionPolicy.Kind.STEP);
        if (corrected && polls != null) {
            polls.clear();
        }
        DecisionRecord decided = DecisionRecord.of(decided(done.outcome(), action), skew, now, done.detail());
        boolean repeated = repeats.repeats(decided, memo.lastDecision());
        String failure = memoKeeper.record(m -> recorded(m, measured, corrected ? action : null, skew, decided), memo);
        return new CycleReport(measured.kind(), now, measured.decision(), measured.source(), measured.measurement(), skew,
                action, done.plan(), done.applied(), done.outcome(), done.detail(), done.error(), failure, repeated);
    }

    private static DecisionRecord.Action decided(CycleReport.Outcome outcome, Action action) {
        return switch (outcome) {
            case REFUSED -> DecisionRecord.Action.REFUSED;
            case PLAN_FAILED, CORRECTION_FAILED -> DecisionRecord.Action.FAILED;
            default -> switch (action.kind()) {
                case SLEW -> DecisionRecord.Action.SLEW;
                case STEP -> DecisionRecord.Action.STEP;
                default -> DecisionRecord.Action.NONE;
            };
        };
    }

    private Memo recorded(Memo memo, Measured measured, Action correction, Long skew, DecisionRecord decided) {
        Memo m = memo;
        if (measured.decision() != null) {
            m = recorder.record(m, measured.decision(), measured.atUnixNanos());
        }
        long now = measured.atUnixNanos();
        return new Memo(m.version(),
                skew != null ? skew : m.lastSkewNanos(),
                skew != null ? Long.valueOf(measured.skewAtUnixNanos()) : m.lastSkewAtUnixNanos(),
                correction != null ? Long.valueOf(correction.nanos()) : m.lastCorrectionNanos(),
                correction != null ? Long.valueOf(now) : m.lastCorrectionAtUnixNanos(),
                m.selection(), m.servers(), decided != null ? decided : m.lastDecision());
    }
}
