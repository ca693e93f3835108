package io.timesync.agent;

import io.timesync.time.Estimate;
import io.timesync.time.Measurement;
import io.timesync.time.Sample;
import io.timesync.time.ServerAddress;
import io.timesync.memo.Memo;
import io.timesync.memo.ServerRecord;
import io.timesync.ntp.Leap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NtsRulesTest {

    static final String A = "192.0.2.1:123";
    static final String B = "192.0.2.2:123";

    static Measurement authenticated(String key) {
        ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
        Sample best = new Sample(0, 0, 0, 1_000_000, 0, 1_000_000, 2, Leap.NONE, -20, 6, 0, 0, 0);
        return new Measurement(server, server.host(), server.port(), 1, 1, List.of(best), List.of(),
                new Estimate(best, 0, 1_000_000, 0, 1), null, true);
    }

    static Measurement failed(String key, String error) {
        ServerAddress server = ServerAddress.parse(key, ServerAddress.NTP_PORT);
        return new Measurement(server, server.host(), server.port(), 1, 0, List.of(), List.of(), null, error, false);
    }

    // Key establishment that failed: no NTP address is known, only the NTS-KE server.
    static Measurement keFailed(String keServer, String error) {
        return new Measurement(ServerAddress.parse(keServer, 4460), null, 0, 0, 0, List.of(), List.of(), null, error, false);
    }

    static Memo authenticatedLastRun(String key) {
        ServerRecord.HistoryEntry entry = new ServerRecord.HistoryEntry(1, 0L, 0L, 0L, 2, 1.0, "selected", true);
        return Memo.EMPTY.withServers(Map.of(key, new ServerRecord(1, 1, 0, 0, null, null, List.of(entry))));
    }

    @Test
    void anAuthenticatedServerIsNotAskedAgainInPlainNtp() {
        NtsRules.Outcome outcome = NtsRules.apply(List.of(A, B), Memo.EMPTY, List.of(authenticated(A)), false);

        assertThat(outcome.measured()).containsOnlyKeys(A);
        assertThat(outcome.plain()).containsExactly(ServerAddress.parse(B, 123));
        assertThat(outcome.downgraded()).isEmpty();
    }

    @Test
    void aServerWhoseNtsProbeFailedIsMeasuredInPlainNtpAndTheDowngradeSaid() {
        NtsRules.Outcome outcome = NtsRules.apply(List.of(A), Memo.EMPTY, List.of(failed(A, "bad cookie")), false);

        assertThat(outcome.plain()).containsExactly(ServerAddress.parse(A, 123));
        assertThat(outcome.downgraded()).containsEntry(A, "NTS failed (bad cookie); measured in plain NTP, not authenticated");
    }

    @Test
    void aServerTheLastRunAuthenticatedIsADowngradeNamingTheKeyEstablishmentThatFailed() {
        NtsRules.Outcome outcome = NtsRules.apply(List.of(A), authenticatedLastRun(A),
                List.of(keFailed("nts.example:4460", "connection refused")), false);

        assertThat(outcome.downgraded()).containsEntry(A,
                "NTS failed (nts.example:4460: connection refused); measured in plain NTP, not authenticated");
        assertThat(outcome.plain()).containsExactly(ServerAddress.parse(A, 123));
    }

    @Test
    void aPlainServerIsNoDowngrade() {
        NtsRules.Outcome outcome = NtsRules.apply(List.of(A), Memo.EMPTY, List.of(), false);

        assertThat(outcome.plain()).containsExactly(ServerAddress.parse(A, 123));
        assertThat(outcome.downgraded()).isEmpty();
    }

    @Test
    void whenAuthenticationIsRequiredNothingIsMeasuredInPlainNtp() {
        NtsRules.Outcome outcome = NtsRules.apply(List.of(A, B), Memo.EMPTY,
                List.of(authenticated(A), failed(B, "bad cookie")), true);

        assertThat(outcome.plain()).isEmpty();
        assertThat(outcome.measured().get(A).authenticated()).isTrue();
        Measurement refused = outcome.measured().get(B);
        assertThat(refused.answered()).isFalse();
        assertThat(refused.error()).isEqualTo(
                "no NTS-authenticated answer, which is required (bad cookie); not measured in plain NTP");
    }
}
