package io.timesync.select;

import io.timesync.memo.Selection;
import io.timesync.time.Measurement;
import io.timesync.time.ServerAddress;
import io.timesync.memo.Memo;
import io.timesync.probe.Probe;
import io.timesync.probe.ProbeRunner;
import io.timesync.select.Decision.Kind;
import io.timesync.select.Decision.Outcome;
import io.timesync.select.Decision.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One optimisation run: probe the candidates, decide. Two strategies:
 * <ul>
 *   <li>{@link Strategy#BEST}: probe every candidate at once (skipping blacklisted addresses), reject
 *       falsetickers, score, select with hysteresis ({@link WeightedScorer});</li>
 *   <li>{@link Strategy#FIRST_REACHABLE}: walk the candidates in order and take the first address that
 *       answers and passes the same {@link SanityCheck} (strata, leap, root distance); no comparison,
 *       so no falseticker check.</li>
 * </ul>
 * The memo is read, not written: callers record the decision with {@link RunRecorder}.
 */
public final class Optimizer implements AutoCloseable {

    /** How to choose. */
    public enum Strategy {
        /** Probe all, score, select. */
        BEST,
        /** The first that answers validly, in the given order. */
        FIRST_REACHABLE
    }

    private final ProbeRunner runner;
    private final SelectionPolicy policy;
    private final SanityCheck sanity;
    private final List<Probe> authenticated;

    /** An optimiser probing with {@code runner} under {@code policy}. */
    public Optimizer(ProbeRunner runner, SelectionPolicy policy) {
        this(runner, policy, List.of());
    }

    /**
     * An optimiser that also measures NTS servers: {@code ntsProbes} run beside the plain candidates
     * (strategy best), or before them (strategy first-reachable).
     */
    public Optimizer(ProbeRunner runner, SelectionPolicy policy, List<? extends Probe> ntsProbes) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sanity = new SanityCheck(policy);
        this.authenticated = List.copyOf(ntsProbes);
    }

    /** Ends the threads of its runner. */
    @Override
    public void close() {
        runner.close();
    }

    /**
     * Runs one optimisation.
     *
     * @param candidates    the servers, in order of preference
     * @param memo          what earlier runs remembered
     * @param nowUnixNanos  the current time (blacklist expiry)
     * @throws InterruptedException when interrupted
     */
    public Decision run(Strategy strategy, List<ServerAddress> candidates, Memo memo, long nowUnixNanos)
            throws InterruptedException {
        if (strategy == Strategy.BEST) {
            List<Measurement> measurements = runner.probe(candidates, key -> memo.server(key).blacklistedAt(nowUnixNanos),
                    authenticated);
            return new WeightedScorer(policy).decide(measurements, memo, nowUnixNanos);
        }
        return firstReachable(candidates, memo, nowUnixNanos);
    }

    private Decision firstReachable(List<ServerAddress> candidates, Memo memo, long now) throws InterruptedException {
        List<Verdict> verdicts = new ArrayList<>();
        // NTS servers first: an authenticated answer is preferred to a plain one.
        for (Probe probe : authenticated) {
            Decision found = consider(runner.measure(List.of(probe)), verdicts, memo, now);
            if (found != null) {
                return found;
            }
        }
        for (ServerAddress candidate : candidates) {
            Decision found = consider(runner.probe(List.of(candidate), key -> memo.server(key).blacklistedAt(now)),
                    verdicts, memo, now);
            if (found != null) {
                return found;
            }
        }
        return new Decision(verdicts, Selection.NONE, Outcome.NONE_USABLE,
                "no candidate answered validly and passed the sanity checks");
    }

    /** The decision for the first acceptable measurement, or null after adding each one's rejection to {@code verdicts}. */
    private Decision consider(List<Measurement> measurements, List<Verdict> verdicts, Memo memo, long now) {
        for (Measurement m : measurements) {
            Verdict rejection = sanity.rejection(m);
            if (memo.server(m.key()).blacklistedAt(now)) {
                verdicts.add(new Verdict(m.key(), m, Kind.BLACKLISTED, Double.NaN, Map.of(),
                        "blacklisted: " + memo.server(m.key()).blacklistReason()));
            } else if (rejection != null) {
                verdicts.add(rejection);
            } else {
                List<String> previous = memo.selection().servers();
                Outcome outcome = previous.isEmpty() ? Outcome.FIRST_SELECTION
                        : previous.get(0).equals(m.key()) ? Outcome.KEPT : Outcome.SWITCHED;
                String summary = "first reachable: " + m.key() + (m.authenticated() ? " (NTS)" : "");
                verdicts.add(0, new Verdict(m.key(), m, Kind.SELECTED, Double.NaN, Map.of(), summary));
                return new Decision(verdicts, new Selection(List.of(m.key()), null, 0), outcome, summary);
            }
        }
        return null;
    }
}
