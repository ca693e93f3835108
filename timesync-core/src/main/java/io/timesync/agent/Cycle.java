package io.timesync.agent;

import io.timesync.api.Measurement;
import io.timesync.api.Mode;
import io.timesync.api.ServerAddress;
import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
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
import io.timesync.select.Selection;
import io.timesync.select.SelectionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
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
 */
public final class Cycle {

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
    private final Corrector corrector;
    private final MemoStore store;
    private final RunRecorder recorder;
    private final SanityCheck sanity;
    private Memo dryRunMemo;
    // The memo kept in memory instead of the file: always in a dry run; otherwise while the file cannot
    // be written, so the agent goes on from what it decided (the servers it configured), not from the
    // file's older memo. Null when the file is the truth.
    private Memo held;
    // Why the memo could not be written, while it cannot: reported once when it starts, once when it ends.
    private String unwritten;
    // The last network cycle's measurement, while it had one: what ticks evaluate when there is no service to read.
    private Measured lastNetwork;
    // The last decision made here, kept also when the memo could not be written, so that a repeat is still seen as one.
    private DecisionRecord lastDecided;
    // The last correction that was tried and failed (its time, 0 when none, and its skew): checks that
    // meet about the same skew soon after do not try it again, so a service that keeps failing is not
    // driven (a restart, a makestep) every second.
    private long failedAtUnixNanos;
    private long failedSkewNanos;

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
        this.settings = Objects.requireNonNull(settings, "settings");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.selectedRunner = Objects.requireNonNull(selectedRunner, "selectedRunner");
        this.ntsProbes = List.copyOf(ntsProbes);
        this.serviceProbe = serviceProbe;
        this.corrector = Objects.requireNonNull(corrector, "corrector");
        this.store = Objects.requireNonNull(store, "store");
        this.recorder = new RunRecorder(settings.selection());
        this.sanity = new SanityCheck(settings.selection());
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
        Memo memo = currentMemo();
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
        Map<String, Measurement> authenticated = new HashMap<>();
        Map<String, String> ntsFailed = new HashMap<>();
        List<String> keFailures = new ArrayList<>();
        for (Measurement m : ntsProbes.isEmpty() ? List.<Measurement>of() : selectedRunner.measure(ntsProbes)) {
            if (m.authenticated() && keys.contains(m.key())) {
                authenticated.put(m.key(), m);
            } else if (keys.contains(m.key())) {
                ntsFailed.put(m.key(), m.error());
            } else if (!m.authenticated()) {
                // Key establishment failed: no NTP address is known, so the failure names its NTS-KE server.
                keFailures.add(m.server() + ": " + m.error());
            }
        }
        boolean required = settings.selection().requireAuthenticated();
        Map<String, Measurement> byKey = new HashMap<>(authenticated);
        Map<String, String> downgraded = new HashMap<>();
        List<ServerAddress> plain = new ArrayList<>();
        for (String key : keys) {
            if (authenticated.containsKey(key)) {
                continue;
            }
            // Selected as NTS: the last run authenticated it, or this run's NTS probe reached it.
            boolean selectedAsNts = ntsFailed.containsKey(key) || memo.server(key).lastAuthenticated();
            String why = ntsFailed.containsKey(key) ? ntsFailed.get(key)
                    : keFailures.isEmpty() ? "no NTS server authenticated it" : String.join("; ", keFailures);
            if (required) {
                // A plain answer would be a downgrade: whoever forged or dropped the NTS replies could forge it too.
                String reason = "no NTS-authenticated answer, which is required (" + why + "); not measured in plain NTP";
                log.warn("{}: {}", key, reason);
                ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
                byKey.put(key, new Measurement(server, server.host(), server.port(), 0, 0, List.of(), List.of(), null, reason));
                continue;
            }
            if (selectedAsNts) {
                String reason = "NTS failed (" + why + "); measured in plain NTP, not authenticated";
                log.warn("{}: {}", key, reason);
                downgraded.put(key, reason);
            }
            plain.add(ServerAddress.parse(key, ServerAddress.NTP_PORT));
        }
        for (Measurement m : plain.isEmpty() ? List.<Measurement>of() : selectedRunner.probe(plain)) {
            byKey.put(m.key(), m);
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
            String failure = record(m -> recorded(m, measured, null, null, null), memo);
            return new CycleReport(measured.kind(), now, measured.decision(), null, null, null, null, null, null,
                    CycleReport.Outcome.NO_SOURCE, measured.detail(), null, failure, false);
        }
        // As of the measurement: a skew evaluated again must not find a slew it caused already finished.
        Action action = settings.correction().decide(settings.mode(), skew,
                CorrectionPolicy.uncertaintyNanos(measured.measurement().estimate()), memo.lastCorrectionNanos(),
                memo.lastCorrectionAtUnixNanos(), measured.skewAtUnixNanos());
        boolean optimizing = measured.kind() == CycleKind.OPTIMIZE;
        boolean acting = action.kind() == CorrectionPolicy.Kind.SLEW || action.kind() == CorrectionPolicy.Kind.STEP;
        Plan plan = null;
        Corrector.Applied applied = null;
        CycleReport.Outcome outcome;
        String detail = measured.skewAtUnixNanos() == now ? action.reason() : action.reason() + " (" + measured.detail() + ")";
        Exception error = null;
        if (action.kind() == CorrectionPolicy.Kind.REFUSE) {
            outcome = CycleReport.Outcome.REFUSED;
        } else if (!optimizing && !acting) {
            outcome = CycleReport.Outcome.IN_SYNC;
        } else if (!optimizing && failedAtUnixNanos != 0 && now - failedAtUnixNanos < RETRY_AFTER_FAILURE.toNanos()
                && CorrectionPolicy.aboutTheSame(settings.mode(), skew, failedSkewNanos)) {
            outcome = CycleReport.Outcome.CORRECTION_FAILED;
            detail = "not tried again: the same correction failed at " + Instant.ofEpochSecond(0, failedAtUnixNanos)
                    + "; next try from " + Instant.ofEpochSecond(0, failedAtUnixNanos + RETRY_AFTER_FAILURE.toNanos());
        } else {
            try {
                // Measure and service cycles leave the configuration alone: no selection, only the clock.
                plan = corrector.plan(optimizing ? measured.decision() : clockOnly(measured), action);
            } catch (IOException e) {
                error = e;
            }
            if (error != null) {
                outcome = CycleReport.Outcome.PLAN_FAILED;
                detail = corrector.service() + ": " + error.getMessage();
            } else if (settings.dryRun()) {
                outcome = plan.isEmpty() ? CycleReport.Outcome.IN_SYNC : CycleReport.Outcome.PLANNED;
            } else {
                try {
                    applied = corrector.apply(plan);
                    outcome = acting || !plan.isEmpty() ? CycleReport.Outcome.APPLIED : CycleReport.Outcome.IN_SYNC;
                    detail = applied.summary();
                } catch (CorrectionException e) {
                    outcome = CycleReport.Outcome.CORRECTION_FAILED;
                    detail = e.getMessage();
                    error = e;
                }
            }
        }
        if (error != null) {
            failedAtUnixNanos = now;
            failedSkewNanos = skew;
        } else if (applied != null) {
            failedAtUnixNanos = 0;
        }
        boolean corrected = applied != null && acting;
        DecisionRecord decided = DecisionRecord.of(decided(outcome, action), skew, now, detail);
        boolean repeated = repeats(decided, latest(lastDecided, memo.lastDecision()));
        lastDecided = decided;
        String failure = record(m -> recorded(m, measured, corrected ? action : null, skew, decided), memo);
        return new CycleReport(measured.kind(), now, measured.decision(), measured.source(), measured.measurement(), skew,
                action, plan, applied, outcome, detail, error, failure, repeated);
    }

    /** Whether {@code decided} is a refusal or failure that {@code previous} already was, for about the same skew. */
    private boolean repeats(DecisionRecord decided, DecisionRecord previous) {
        boolean reportable = decided.action().equals(DecisionRecord.Action.REFUSED.label())
                || decided.action().equals(DecisionRecord.Action.FAILED.label());
        return reportable && previous != null && previous.action().equals(decided.action())
                && CorrectionPolicy.aboutTheSame(settings.mode(), decided.skewNanos(), previous.skewNanos());
    }

    private static DecisionRecord latest(DecisionRecord a, DecisionRecord b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.atUnixNanos() >= b.atUnixNanos() ? a : b;
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

    private static Decision clockOnly(Measured measured) {
        return new Decision(List.of(), Selection.NONE, Decision.Outcome.KEPT,
                "correct the clock only; the configuration stays as it is (" + measured.detail() + ")");
    }

    private Memo currentMemo() throws MemoException {
        if (held != null) {
            return held;
        }
        Memo loaded = store.load();
        if (settings.dryRun()) {
            held = loaded;
        }
        return loaded;
    }

    /**
     * Folds the change into the memo; returns why it could not be written, or null. A memo held in
     * memory is the truth: it is what the change applies to, and what is written once writing works.
     */
    private String record(UnaryOperator<Memo> change, Memo measuredAgainst) {
        if (settings.dryRun()) {
            held = change.apply(held);
            return null;
        }
        Memo base = held;
        try {
            store.update(base == null ? change : m -> change.apply(base));
            held = null;
            if (unwritten != null) {
                log.info("the memo is written again (it could not be: {})", unwritten);
                unwritten = null;
            }
            return null;
        } catch (MemoException e) {
            held = change.apply(base != null ? base : measuredAgainst);
            String why = e.getMessage();
            if (!Objects.equals(why, unwritten)) {
                log.warn("cannot write the memo, keeping it in memory until it can be written: {}", why);
            }
            unwritten = why;
            return why;
        }
    }
}
