package io.timesync.app;

import io.timesync.agent.Cycle;
import io.timesync.time.Measurement;
import io.timesync.probe.Probe;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The skew when TimeSync's own probe got no answer from any candidate, from the platform's fallback
 * probes (on Windows, {@code w32tm /stripchart}, which a firewall may let through where it blocks
 * java.exe). The first fallback that answers gives the skew, and its server becomes the selection,
 * unscored: TimeSync could not measure it, the time service can. The verdicts stay as TimeSync's
 * probe found them (all unreachable: an outage, which counts against no server).
 */
public final class SkewFallback {

    private static final Logger log = LoggerFactory.getLogger(SkewFallback.class);

    private SkewFallback() {
    }

    /**
     * One candidate as a fallback measures it.
     *
     * @param key   the selection key the candidate gets when this answers ({@code host:port})
     * @param probe the fallback probe of that candidate
     */
    public record Candidate(String key, Probe probe) {
    }

    /** The platform's fallbacks, each under the name it gives. */
    public static List<Candidate> candidates(java.util.Map<String, Probe> fallbacks) {
        return fallbacks.entrySet().stream().map(e -> new Candidate(e.getKey(), e.getValue())).toList();
    }

    /**
     * {@code measured} when it has a skew or there is no fallback; else the first fallback's that
     * answers, or {@code measured} with every fallback's failure added to its detail.
     *
     * @param fallbacks in the candidates' order
     */
    public static Cycle.Measured measured(Cycle.Measured measured, List<Candidate> fallbacks) throws InterruptedException {
        if (measured.skewNanos() != null || fallbacks.isEmpty()) {
            return measured;
        }
        List<String> failures = new ArrayList<>();
        for (Candidate candidate : fallbacks) {
            Probe probe = candidate.probe();
            Measurement m = probe.measure();
            if (!m.answered()) {
                failures.add(m.error());
                continue;
            }
            String why = "TimeSync's probe got no answer (" + measured.detail() + "); the skew is " + probe.source()
                    + "'s, and " + candidate.key() + " is selected unscored";
            log.warn("{}", why);
            List<Decision.Verdict> verdicts = measured.decision() == null ? List.of() : measured.decision().verdicts();
            Decision decision = new Decision(verdicts, new Selection(List.of(candidate.key()), null, 0),
                    Decision.Outcome.FIRST_SELECTION, why);
            return new Cycle.Measured(measured.kind(), measured.atUnixNanos(), measured.memo(), decision, probe.source(), m, why);
        }
        log.info("no fallback answered either: {}", String.join("; ", failures));
        return new Cycle.Measured(measured.kind(), measured.atUnixNanos(), measured.memo(), measured.decision(), null, null,
                measured.detail() + "; " + String.join("; ", failures));
    }
}
