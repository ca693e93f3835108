package io.timesync.select;

import io.timesync.memo.Selection;
import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.memo.Memo;
import io.timesync.memo.ServerRecord;
import io.timesync.select.Decision.Kind;
import io.timesync.select.Decision.Metric;
import io.timesync.select.Decision.Outcome;
import io.timesync.select.Decision.Verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The default {@link Scorer}: the blacklist and the {@link SanityCheck}, falseticker rejection by
 * {@link Intersection}, outliers set aside by {@link Cluster}, a weighted score from {@link ScoreCurves}, no mixing of leap-smearing and other servers, a minimum score, NTS-authenticated
 * servers before the others (or only them, when the policy requires it), and {@link Hysteresis} for
 * the primary. Pure.
 */
public final class WeightedScorer implements Scorer {

    private final SelectionPolicy policy;
    private final SanityCheck sanity;

    /** A scorer with the given policy. */
    public WeightedScorer(SelectionPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sanity = new SanityCheck(policy);
    }

    @Override
    public Decision decide(List<Measurement> measurements, Memo memo, long nowUnixNanos) {
        List<Verdict> rejected = new ArrayList<>();
        List<Measurement> candidates = new ArrayList<>();
        for (Measurement m : measurements) {
            Verdict v = sanityCheck(m, memo.server(m.key()), nowUnixNanos);
            if (v == null) {
                candidates.add(m);
            } else {
                rejected.add(v);
            }
        }
        if (candidates.isEmpty()) {
            return new Decision(rejected, Selection.NONE, Outcome.NONE_USABLE,
                    "no usable server: " + (measurements.isEmpty() ? "no candidates" : "every candidate was rejected"));
        }

        long[] offsets = new long[candidates.size()];
        long[] distances = new long[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            Estimate e = candidates.get(i).estimate();
            offsets[i] = e.offsetNanos();
            distances[i] = e.rootDistanceNanos();
        }
        Intersection.Result intersection = Intersection.find(offsets, distances);
        if (!intersection.found()) {
            List<Verdict> all = new ArrayList<>();
            for (Measurement m : candidates) {
                all.add(unscored(m, Kind.UNCONFIRMED, "no majority of the " + candidates.size()
                        + " candidates agrees on the time"));
            }
            all.addAll(rejected);
            return new Decision(all, Selection.NONE, Outcome.NO_MAJORITY, "no majority of the " + candidates.size()
                    + " candidates agrees on the time: nothing selected");
        }

        List<Measurement> truechimers = new ArrayList<>();
        List<Verdict> setAside = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Measurement m = candidates.get(i);
            if (intersection.truechimers()[i]) {
                truechimers.add(m);
            } else {
                setAside.add(unscored(m, Kind.FALSETICKER, String.format(Locale.ROOT,
                        "offset %s ± %s misses the majority's interval [%s, %s]", ms(offsets[i]), ms(distances[i]),
                        ms(intersection.lowNanos()), ms(intersection.highNanos()))));
            }
        }
        long[] agreeing = new long[truechimers.size()];
        long[] jitters = new long[truechimers.size()];
        for (int i = 0; i < truechimers.size(); i++) {
            Estimate e = truechimers.get(i).estimate();
            agreeing[i] = e.offsetNanos();
            jitters[i] = Math.max(e.jitterNanos(), e.best().precisionNanos());
        }
        boolean[] clustered = Cluster.survivors(agreeing, jitters);
        List<Verdict> scored = new ArrayList<>();
        for (int i = 0; i < truechimers.size(); i++) {
            Measurement m = truechimers.get(i);
            if (clustered[i]) {
                scored.add(score(m, memo.server(m.key())));
            } else {
                setAside.add(unscored(m, Kind.OUTLIER, String.format(Locale.ROOT,
                        "offset %s stands apart from the other survivors' by more than their jitter: set aside"
                                + " (RFC 5905 clustering)", ms(agreeing[i]))));
            }
        }
        scored.sort(Comparator.comparingDouble(Verdict::score).reversed().thenComparing(Verdict::key));

        // The best survivor decides whether this selection smears leap seconds; the others must agree.
        boolean smearing = LeapSmear.isSmearing(scored.get(0).measurement().server().host());
        List<Verdict> eligible = new ArrayList<>();
        for (Verdict v : scored) {
            if (LeapSmear.isSmearing(v.measurement().server().host()) != smearing) {
                rejected.add(rejectScored(v, Kind.LEAP_SMEAR_MIX, smearing
                        ? "does not smear leap seconds, unlike the selection"
                        : "smears leap seconds, unlike the selection"));
            } else if (v.score() < policy.minScore()) {
                rejected.add(rejectScored(v, Kind.LOW_SCORE, String.format(Locale.ROOT, "score %.1f below the minimum %.0f",
                        v.score(), policy.minScore())));
            } else {
                eligible.add(v);
            }
        }
        if (eligible.isEmpty()) {
            List<Verdict> all = new ArrayList<>(rejected);
            all.addAll(setAside);
            return new Decision(all, Selection.NONE, Outcome.NONE_USABLE,
                    "no server scored at least " + fmt(policy.minScore()));
        }

        // NTS-authenticated servers rank first (stable sort: by score within each group), and an
        // unauthenticated primary gives way to an authenticated one at once, whatever the scores.
        eligible.sort(Comparator.comparing((Verdict v) -> !v.measurement().authenticated()));
        boolean authenticatedBest = eligible.get(0).measurement().authenticated();
        Selection previous = memo.selection();
        String currentKey = previous.servers().isEmpty() ? null : previous.servers().get(0);
        double currentScore = Double.NaN;
        for (Verdict v : eligible) {
            if (v.key().equals(currentKey) && (v.measurement().authenticated() || !authenticatedBest)) {
                currentScore = v.score();
            }
        }
        Verdict best = eligible.get(0);
        Hysteresis.Choice choice = Hysteresis.choose(best.key(), best.score(), currentKey, currentScore, previous,
                policy.hysteresisPercent(), policy.stabilityThreshold());

        List<Verdict> ordered = new ArrayList<>(eligible.size());
        for (Verdict v : eligible) {
            if (v.key().equals(choice.primary())) {
                ordered.add(0, v);
            } else {
                ordered.add(v);
            }
        }
        List<Verdict> verdicts = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (Verdict v : ordered) {
            if (selected.size() < policy.maxSelected()) {
                selected.add(v.key());
                String why = selected.size() == 1 ? "primary: " + choice.reason() : "selected: rank " + selected.size();
                verdicts.add(new Verdict(v.key(), v.measurement(), Kind.SELECTED, v.score(), v.metricScores(), why));
            } else {
                verdicts.add(new Verdict(v.key(), v.measurement(), Kind.STANDBY, v.score(), v.metricScores(),
                        "good, but " + policy.maxSelected() + " servers are selected already"));
            }
        }
        rejected.sort(Comparator.comparingDouble((Verdict v) -> v.scored() ? -v.score() : 1).thenComparing(Verdict::key));
        verdicts.addAll(rejected);
        verdicts.addAll(setAside);
        Selection selection = new Selection(selected, choice.challenger(), choice.streak());
        return new Decision(verdicts, selection, choice.outcome(), choice.reason());
    }

    private Verdict sanityCheck(Measurement m, ServerRecord record, long now) {
        if (record.blacklistedAt(now)) {
            return unscored(m, Kind.BLACKLISTED, "blacklisted until "
                    + Instant.ofEpochSecond(0, record.blacklistedUntilUnixNanos()) + ": " + record.blacklistReason());
        }
        return sanity.rejection(m);
    }

    private Verdict score(Measurement m, ServerRecord record) {
        Estimate e = m.estimate();
        Map<Metric, Double> scores = new EnumMap<>(Metric.class);
        scores.put(Metric.JITTER, ScoreCurves.jitter(e.jitterNanos()));
        scores.put(Metric.REACHABILITY, ScoreCurves.reach(m.samples().size(), m.sent(), record.runReach(), record.runs()));
        scores.put(Metric.STRATUM, ScoreCurves.stratum(e.best().stratum()));
        scores.put(Metric.LATENCY, ScoreCurves.latency(e.delayNanos()));
        double total = policy.jitterWeight() * scores.get(Metric.JITTER)
                + policy.reachWeight() * scores.get(Metric.REACHABILITY)
                + policy.stratumWeight() * scores.get(Metric.STRATUM)
                + policy.latencyWeight() * scores.get(Metric.LATENCY);
        double weights = policy.jitterWeight() + policy.reachWeight() + policy.stratumWeight() + policy.latencyWeight();
        return new Verdict(m.key(), m, Kind.STANDBY, total / weights, scores, "survivor");
    }

    private static Verdict rejectScored(Verdict v, Kind kind, String reason) {
        return new Verdict(v.key(), v.measurement(), kind, v.score(), v.metricScores(), reason);
    }

    private static Verdict unscored(Measurement m, Kind kind, String reason) {
        return new Verdict(m.key(), m, kind, Double.NaN, Map.of(), reason);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
