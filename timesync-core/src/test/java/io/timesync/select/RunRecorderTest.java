package io.timesync.select;

import io.timesync.time.Measurement;
import io.timesync.memo.Memo;
import io.timesync.memo.ServerRecord;
import io.timesync.ntp.KissCode;
import io.timesync.select.Decision.Kind;
import io.timesync.select.Decision.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.timesync.select.Synthetic.MS;
import static org.assertj.core.api.Assertions.assertThat;

/** Several runs in a row through the scorer and the recorder, on a clock the test moves by hand. */
class RunRecorderTest {

    private static final long HOUR = Duration.ofHours(1).toNanos();
    private final SelectionPolicy policy = SelectionPolicy.defaults();
    private final WeightedScorer scorer = new WeightedScorer(policy);
    private final RunRecorder recorder = new RunRecorder(policy);
    private long now = 1_795_300_000_000_000_000L;
    private Memo memo = Memo.EMPTY;

    private Decision run(Measurement... measurements) {
        Decision d = scorer.decide(List.of(measurements), memo, now);
        memo = recorder.record(memo, d, now);
        now += Duration.ofMinutes(1).toNanos();
        return d;
    }

    /** Server 1 with jitter that scores {@code jitterScore}-ish, server 2 perfect. */
    private static Measurement withJitter(String address, long jitter) {
        return Synthetic.answered(address, address, 0, 2 * MS, jitter, 1, MS);
    }

    @Test
    void aBetterServerTakesOverOnlyAfterTwoConsecutiveWinsByMoreThan15Percent() {
        Measurement current = withJitter("10.0.0.1", 4 * MS);  // jitter score 39.8: total 78.9
        Measurement challenger = withJitter("10.0.0.2", 100_000); // total 100: better by 26.7 %
        assertThat(run(current).outcome()).isEqualTo(Outcome.FIRST_SELECTION);

        Decision first = run(current, challenger);
        assertThat(first.outcome()).isEqualTo(Outcome.HELD_BY_HYSTERESIS);
        assertThat(first.selection().servers().get(0)).isEqualTo("10.0.0.1:123");
        assertThat(memo.selection().challenger()).isEqualTo("10.0.0.2:123");
        assertThat(memo.selection().challengerStreak()).isEqualTo(1);
        assertThat(first.summary()).contains("1 of 2 runs");

        Decision second = run(current, challenger);
        assertThat(second.outcome()).isEqualTo(Outcome.SWITCHED);
        assertThat(second.selection().servers()).containsExactly("10.0.0.2:123", "10.0.0.1:123");
        assertThat(second.summary()).contains("switched from 10.0.0.1:123").contains("2 consecutive runs");
        assertThat(memo.selection().challenger()).isNull();
    }

    @Test
    void anInterruptedStreakStartsAgain() {
        Measurement current = withJitter("10.0.0.1", 4 * MS);
        Measurement challenger = withJitter("10.0.0.2", 100_000);
        Measurement challengerHavingABadDay = withJitter("10.0.0.2", 3 * MS);
        run(current);
        assertThat(run(current, challenger).outcome()).isEqualTo(Outcome.HELD_BY_HYSTERESIS);
        assertThat(run(current, challengerHavingABadDay).outcome()).isEqualTo(Outcome.KEPT);
        assertThat(run(current, challenger).outcome()).isEqualTo(Outcome.HELD_BY_HYSTERESIS);
        assertThat(run(current, challenger).outcome()).isEqualTo(Outcome.SWITCHED);
    }

    @Test
    void aSmallAdvantageNeverSwitches() {
        Measurement current = withJitter("10.0.0.1", 1_500_000); // total ~93.8
        Measurement slightlyBetter = withJitter("10.0.0.2", 100_000); // 100: better by 6.6 %
        run(current);
        for (int i = 0; i < 5; i++) {
            Decision d = run(current, slightlyBetter);
            assertThat(d.outcome()).isEqualTo(Outcome.KEPT);
            assertThat(d.selection().servers().get(0)).isEqualTo("10.0.0.1:123");
        }
    }

    @Test
    void aPrimaryThatStopsAnsweringIsReplacedAtOnce() {
        run(withJitter("10.0.0.1", 100_000), withJitter("10.0.0.2", 200_000));
        Decision d = run(Synthetic.silent("10.0.0.1"), withJitter("10.0.0.2", 200_000));
        assertThat(d.outcome()).isEqualTo(Outcome.SWITCHED);
        assertThat(d.selection().servers()).containsExactly("10.0.0.2:123");
        assertThat(d.summary()).contains("no longer eligible");
    }

    @Test
    void threeFailedRunsBlacklistWithACooldownThatDoubles() {
        Measurement other = Synthetic.good("10.0.0.2", 0);
        for (int i = 0; i < 2; i++) {
            run(Synthetic.silent("10.0.0.1"), other);
            assertThat(memo.server("10.0.0.1:123").blacklistedUntilUnixNanos()).isNull();
        }
        long third = now;
        run(Synthetic.silent("10.0.0.1"), other);
        ServerRecord record = memo.server("10.0.0.1:123");
        assertThat(record.blacklistedUntilUnixNanos()).isEqualTo(third + HOUR);
        assertThat(record.blacklistReason()).contains("3 runs in a row without a valid reply");
        assertThat(record.strikes()).isEqualTo(1);
        assertThat(record.runReach()).isZero();

        // While blacklisted it is listed, not used, and its record is left alone.
        Decision listed = run(Synthetic.good("10.0.0.1", 0), other);
        assertThat(listed.verdicts()).filteredOn(v -> v.key().equals("10.0.0.1:123"))
                .singleElement().satisfies(v -> assertThat(v.kind()).isEqualTo(Kind.BLACKLISTED));
        assertThat(memo.server("10.0.0.1:123").runs()).isEqualTo(3);

        // After the cool-down it is tried again; three more failures blacklist it for twice as long.
        now = third + HOUR;
        for (int i = 0; i < 2; i++) {
            run(Synthetic.silent("10.0.0.1"), other);
        }
        long sixth = now;
        run(Synthetic.silent("10.0.0.1"), other);
        assertThat(memo.server("10.0.0.1:123").blacklistedUntilUnixNanos()).isEqualTo(sixth + 2 * HOUR);
        assertThat(memo.server("10.0.0.1:123").strikes()).isEqualTo(2);
    }

    @Test
    void runsInWhichNoServerAnswersAreAnOutageThatBlacklistsNobody() {
        for (int i = 0; i < 5; i++) {
            run(Synthetic.silent("10.0.0.1"), Synthetic.silent("10.0.0.2"));
        }
        for (String key : List.of("10.0.0.1:123", "10.0.0.2:123")) {
            assertThat(memo.server(key).blacklistedUntilUnixNanos()).isNull();
            assertThat(memo.server(key).consecutiveFailures()).isZero();
            assertThat(memo.server(key).runReach()).isZero();
            assertThat(memo.server(key).history()).hasSize(5);
        }
        // Once others answer again, a silent server's failures count.
        run(Synthetic.silent("10.0.0.1"), Synthetic.good("10.0.0.2", 0));
        assertThat(memo.server("10.0.0.1:123").consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void aDenyKissBlacklistsAtOnce() {
        run(Synthetic.kissed("10.0.0.1", KissCode.DENY), Synthetic.good("10.0.0.2", 0));
        assertThat(memo.server("10.0.0.1:123").blacklistReason()).startsWith("kiss DENY");
    }

    @Test
    void aRateKissDoesNotBlacklistAtOnce() {
        run(Synthetic.kissed("10.0.0.1", KissCode.RATE), Synthetic.good("10.0.0.2", 0));
        assertThat(memo.server("10.0.0.1:123").blacklistedUntilUnixNanos()).isNull();
        assertThat(memo.server("10.0.0.1:123").consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void historyIsAppendedAndBounded() {
        for (int i = 0; i < RunRecorder.HISTORY_ENTRIES + 5; i++) {
            run(Synthetic.good("10.0.0.1", i));
        }
        List<ServerRecord.HistoryEntry> history = memo.server("10.0.0.1:123").history();
        assertThat(history).hasSize(RunRecorder.HISTORY_ENTRIES);
        assertThat(history.get(history.size() - 1).offsetNanos()).isEqualTo(RunRecorder.HISTORY_ENTRIES + 4);
        assertThat(history.get(0).verdict()).isEqualTo("selected");
        // Thirty days later, a new run drops everything older.
        now += RunRecorder.HISTORY_AGE.toNanos() + 1;
        run(Synthetic.good("10.0.0.1", 0));
        assertThat(memo.server("10.0.0.1:123").history()).hasSize(1);
    }

    @Test
    void reachabilityAcrossRunsIsARegister() {
        run(Synthetic.good("10.0.0.1", 0), Synthetic.good("10.0.0.2", 0));
        run(Synthetic.silent("10.0.0.1"), Synthetic.good("10.0.0.2", 0));
        run(Synthetic.good("10.0.0.1", 0), Synthetic.good("10.0.0.2", 0));
        assertThat(memo.server("10.0.0.1:123").runReach()).isEqualTo(0b101);
        assertThat(memo.server("10.0.0.1:123").runs()).isEqualTo(3);
    }

    @Test
    void theAddressesARotatingPoolHandedOutAreForgottenOnceTheyHaveNoHistoryLeft() {
        long day = Duration.ofDays(1).toNanos();
        for (int d = 0; d <= 40; d++) {
            run(Synthetic.good("10.1.0." + d, 0), Synthetic.good("10.1.1." + d, 0));
            now += day - Duration.ofMinutes(1).toNanos();
        }
        // Runs of the last 30 days (days 10 to 40) are remembered, nothing older.
        assertThat(memo.servers()).hasSize(2 * 31).containsKey("10.1.0.10:123").doesNotContainKey("10.1.0.9:123")
                .doesNotContainKey("10.1.1.0:123");
        assertThat(memo.servers()).containsKeys(memo.selection().servers().toArray(String[]::new));
    }

    @Test
    void aServerStillBlacklistedIsRememberedWithoutRecentHistory() {
        long old = now - RunRecorder.HISTORY_AGE.toNanos() - 1;
        ServerRecord.HistoryEntry entry = new ServerRecord.HistoryEntry(old, null, null, null, null, null, "failed");
        memo = memo.withServers(java.util.Map.of(
                "10.0.0.8:123", new ServerRecord(0, 1, 1, 0, null, null, List.of(entry)),
                "10.0.0.9:123", new ServerRecord(0, 1, 0, 5, now + HOUR, "kiss DENY (access denied)", List.of(entry))));

        run(Synthetic.good("10.0.0.1", 0));

        assertThat(memo.servers()).containsOnlyKeys("10.0.0.1:123", "10.0.0.9:123");
    }
}
