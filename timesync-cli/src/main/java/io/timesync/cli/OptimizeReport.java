package io.timesync.cli;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.text.NanosText;
import io.timesync.select.Decision;
import io.timesync.select.Decision.Kind;
import io.timesync.select.Decision.Metric;
import io.timesync.select.Decision.Verdict;
import io.timesync.select.Optimizer.Strategy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The output of {@code timesync optimize}: the ranked table and the decision, or one JSON document. */
final class OptimizeReport {


    private OptimizeReport() {
    }

    /** The JSON document. Field names are a contract. */
    record Document(List<ServerRow> servers, List<String> selected, DecisionRow decision, String strategy,
                    boolean dryRun, String stateFile) {
    }

    /** One candidate. */
    record ServerRow(Integer rank, String server, String address, int port, Integer stratum, Long offsetNs,
                     Long errorBoundNs, Long delayNs, Long jitterNs, int reach, Double score, Map<String, Double> scores,
                     String verdict, String reason, boolean authenticated) {
    }

    /** What was decided. */
    record DecisionRow(String outcome, String summary) {
    }

    static void printJson(Decision decision, Strategy strategy, boolean dryRun, Path stateFile, PrintWriter out) {
        JsonOutput.print(document(decision, strategy, dryRun, stateFile), out);
    }

    /** The JSON document of a decision. */
    static Document document(Decision decision, Strategy strategy, boolean dryRun, Path stateFile) {
        List<ServerRow> rows = new ArrayList<>();
        int rank = 0;
        for (Verdict v : decision.verdicts()) {
            Measurement m = v.measurement();
            Estimate e = m.estimate();
            Map<String, Double> scores = new LinkedHashMap<>();
            for (Metric metric : Metric.values()) {
                if (v.metricScores().containsKey(metric)) {
                    scores.put(metric.name().toLowerCase(Locale.ROOT), round(v.metricScores().get(metric)));
                }
            }
            rows.add(new ServerRow(ranked(v) ? ++rank : null, m.server().host(), m.address(), m.port(),
                    e == null ? null : e.best().stratum(), e == null ? null : e.offsetNanos(),
                    e == null ? null : e.errorBoundNanos(), e == null ? null : e.delayNanos(),
                    e == null ? null : e.jitterNanos(), m.reach(),
                    v.scored() ? round(v.score()) : null, scores, verdict(v.kind()), v.reason(), m.authenticated()));
        }
        return new Document(rows, decision.selection().servers(),
                new DecisionRow(decision.outcome().name().toLowerCase(Locale.ROOT), decision.summary()),
                strategy == Strategy.BEST ? "best" : "first-reachable", dryRun, stateFile.toString());
    }

    static void printTable(Decision decision, boolean dryRun, Path stateFile, PrintWriter out) {
        printRanking(decision, out);
        if (dryRun) {
            out.println("Dry run: nothing recorded in " + stateFile + "; a sync would configure the servers selected above.");
        } else {
            out.println("Recorded in " + stateFile);
        }
    }

    /** The ranked table, the decision and the selection. */
    static void printRanking(Decision decision, PrintWriter out) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"RANK", "SERVER", "ADDRESS", "OFFSET", "JITTER", "DELAY", "ST", "REACH", "SCORE", "VERDICT", "REASON"});
        int rank = 0;
        for (Verdict v : decision.verdicts()) {
            Measurement m = v.measurement();
            Estimate e = m.estimate();
            lines.add(new String[] {ranked(v) ? Integer.toString(++rank) : "-", m.server().host(),
                m.address() == null ? "-" : m.key(),
                e == null ? "-" : NanosText.of(e.offsetNanos(), true), e == null ? "-" : NanosText.of(e.jitterNanos(), false),
                e == null ? "-" : NanosText.of(e.delayNanos(), false), e == null ? "-" : Integer.toString(e.best().stratum()),
                Integer.toOctalString(m.reach()), v.scored() ? String.format(Locale.ROOT, "%.1f", v.score()) : "-",
                verdict(v.kind()), v.kind() == Kind.SELECTED || v.kind() == Kind.STANDBY ? "" : v.reason()});
        }
        Table.print(lines, 3, 8, out);
        out.println();
        out.println("Decision: " + decision.summary());
        out.println("Selected: " + (decision.hasSelection() ? String.join(", ", decision.selection().servers()) : "nothing"));
    }

    private static boolean ranked(Verdict v) {
        return v.kind() == Kind.SELECTED || v.kind() == Kind.STANDBY;
    }

    private static String verdict(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
