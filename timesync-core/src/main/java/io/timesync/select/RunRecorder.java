package io.timesync.select;

import io.timesync.memo.Selection;
import io.timesync.time.Measurement;
import io.timesync.time.SampleFailure;
import io.timesync.memo.Memo;
import io.timesync.memo.ServerRecord;
import io.timesync.memo.ServerRecord.HistoryEntry;
import io.timesync.ntp.KissCode;
import io.timesync.text.DurationText;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Folds one run into the memo: each server's reachability across runs, its failure count and
 * blacklisting (after {@code n} failed runs, or at once on a DENY/RSTR kiss; each repeat doubles the
 * cool-down), its bounded history, and the new selection; servers with nothing left to remember are
 * forgotten. A run in which no server answered at all
 * is an outage on our side and counts towards no server's blacklisting. Pure.
 */
public final class RunRecorder {

    /** History kept per server: at most this many entries... */
    public static final int HISTORY_ENTRIES = 500;
    /** ...and none older than this. */
    public static final Duration HISTORY_AGE = Duration.ofDays(30);
    // Doubling stops here, so a cool-down never overflows (2^16 hours is 7 years).
    private static final int MAX_DOUBLINGS = 16;

    private final SelectionPolicy policy;

    /** A recorder applying the policy's blacklist rules. */
    public RunRecorder(SelectionPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The memo after this run. Servers skipped because they were blacklisted keep their record. */
    public Memo record(Memo memo, Decision decision, long nowUnixNanos) {
        Map<String, ServerRecord> servers = new HashMap<>(memo.servers());
        // When no server at all was heard from, the fault is most likely ours (the network is
        // down): that run counts against no server, or an outage would blacklist them all.
        boolean outage = decision.verdicts().stream().map(Decision.Verdict::measurement)
                .noneMatch(m -> m.answered() || m.failures().stream().anyMatch(f -> f.kind() == SampleFailure.Kind.KISS_OF_DEATH));
        for (Decision.Verdict v : decision.verdicts()) {
            if (v.kind() == Decision.Kind.BLACKLISTED) {
                continue;
            }
            servers.put(v.key(), update(memo.server(v.key()), v, outage, nowUnixNanos));
        }
        prune(servers, decision.selection(), nowUnixNanos);
        return memo.withServers(servers).withSelection(decision.selection());
    }

    /**
     * Forgets the servers nothing is known of any more: no history within {@link #HISTORY_AGE}, not
     * selected (nor the challenger), not blacklisted. A pool's addresses rotate, so without this the
     * memo would grow by every address the pool ever handed out.
     */
    private static void prune(Map<String, ServerRecord> servers, Selection selection, long now) {
        long oldest = now - HISTORY_AGE.toNanos();
        servers.entrySet().removeIf(e -> !selection.servers().contains(e.getKey())
                && !e.getKey().equals(selection.challenger())
                && !e.getValue().blacklistedAt(now)
                && e.getValue().history().stream().noneMatch(h -> h.atUnixNanos() >= oldest));
    }

    private ServerRecord update(ServerRecord r, Decision.Verdict v, boolean outage, long now) {
        Measurement m = v.measurement();
        boolean answered = m.answered();
        int runReach = ((r.runReach() << 1) | (answered ? 1 : 0)) & 0xFF;
        int runs = r.runs() == Integer.MAX_VALUE ? r.runs() : r.runs() + 1;
        int failures = answered ? 0 : outage ? r.consecutiveFailures() : r.consecutiveFailures() + 1;
        int strikes = r.strikes();
        Long until = r.blacklistedAt(now) ? r.blacklistedUntilUnixNanos() : null;
        String reason = until == null ? null : r.blacklistReason();
        KissCode refusal = m.failures().stream().filter(f -> f.kind() == SampleFailure.Kind.KISS_OF_DEATH)
                .map(SampleFailure::kissCode).filter(KissCode::stopsUsingServer).findFirst().orElse(null);
        if (refusal != null || failures >= policy.failuresToBlacklist()) {
            long cooldown = policy.blacklistCooldown().toNanos() << Math.min(strikes, MAX_DOUBLINGS);
            until = now + cooldown;
            reason = refusal != null
                    ? "kiss " + refusal.name() + " (" + refusal.meaning() + ")"
                    : failures + " runs in a row without a valid reply";
            reason += String.format(Locale.ROOT, "; cool-down %s", DurationText.ofNanos(cooldown));
            strikes++;
            failures = 0;
        }
        List<HistoryEntry> history = new ArrayList<>(r.history().size() + 1);
        long oldest = now - HISTORY_AGE.toNanos();
        for (HistoryEntry h : r.history()) {
            if (h.atUnixNanos() >= oldest) {
                history.add(h);
            }
        }
        history.add(new HistoryEntry(now,
                answered ? m.estimate().offsetNanos() : null,
                answered ? m.estimate().delayNanos() : null,
                answered ? m.estimate().jitterNanos() : null,
                answered ? m.estimate().best().stratum() : null,
                v.scored() ? v.score() : null,
                v.kind().name().toLowerCase(Locale.ROOT), m.authenticated()));
        if (history.size() > HISTORY_ENTRIES) {
            history = history.subList(history.size() - HISTORY_ENTRIES, history.size());
        }
        return new ServerRecord(runReach, runs, failures, strikes, until, reason, history);
    }

}
