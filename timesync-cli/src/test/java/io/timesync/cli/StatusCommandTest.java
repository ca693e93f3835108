package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.time.ServerAddress;
import io.timesync.time.TimeSource;
import io.timesync.app.config.Configuration;
import io.timesync.memo.DecisionRecord;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.memo.ServerRecord;
import io.timesync.memo.ServerRecord.HistoryEntry;
import io.timesync.nts.NtsSession;
import io.timesync.nts.NtsSessionStore;
import io.timesync.memo.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DECIDED_AT = 1_795_000_000_000_000_000L;

    @TempDir
    Path state;

    private void remember() throws Exception {
        long now = TimeSource.system().wallClockNanos();
        long hour = Duration.ofHours(1).toNanos();
        ServerRecord good = new ServerRecord(0b111, 3, 0, 0, null, null, List.of(
                new HistoryEntry(now - 30 * hour, 999_999L, 1L, 1L, 2, 90.0, "selected"),
                new HistoryEntry(now - 2 * hour, 100L, 50_000L, 10L, 2, 98.0, "selected"),
                new HistoryEntry(now - hour, 300L, 50_000L, 10L, 2, 98.0, "selected")));
        ServerRecord bad = new ServerRecord(0, 3, 0, 1, now + hour, "3 runs in a row without a valid reply; cool-down 1h",
                List.of(new HistoryEntry(now - hour, null, null, null, null, null, "unreachable")));
        Memo memo = new Memo(Memo.CURRENT_VERSION, 250_000_000L, now - hour, 250_000_000L, now - hour,
                new Selection(List.of("127.0.0.1:1"), "127.0.0.1:3", 1), Map.of("127.0.0.1:1", good, "127.0.0.1:2", bad),
                DecisionRecord.of(DecisionRecord.Action.STEP, 250_000_000L, DECIDED_AT, "skew 250.000 ms is at least 100.000 ms"));
        new JsonMemoStore(state).update(m -> memo);
    }

    @Test
    void showsSelectionHistoryAndBlacklistAsJson() throws Exception {
        remember();
        CliRun run = CliRun.of("status", "--json", "--state-dir", state.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("selected").get(0).asText()).isEqualTo("127.0.0.1:1");
        assertThat(doc.get("challenger").asText()).isEqualTo("127.0.0.1:3");
        JsonNode good = doc.get("servers").get(0);
        assertThat(good.get("server").asText()).isEqualTo("127.0.0.1:1");
        assertThat(good.get("runReach").asInt()).isEqualTo(7);
        assertThat(good.get("lastDay").get("runs").asInt()).isEqualTo(2);
        assertThat(good.get("lastDay").get("medianOffsetNanos").asLong()).isEqualTo(200);
        assertThat(good.get("blacklistedUntil").isNull()).isTrue();
        JsonNode bad = doc.get("servers").get(1);
        assertThat(bad.get("blacklistedUntil").asText()).endsWith("Z");
        assertThat(bad.get("blacklistReason").asText()).contains("3 runs in a row");
        JsonNode last = doc.get("last");
        assertThat(last.get("action").asText()).isEqualTo("step");
        assertThat(last.get("actionSkewNs").asLong()).isEqualTo(250_000_000L);
        assertThat(last.get("actionAt").asText()).isEqualTo(java.time.Instant.ofEpochSecond(0, DECIDED_AT).toString());
        assertThat(last.get("reason").asText()).isEqualTo("skew 250.000 ms is at least 100.000 ms");
    }

    @Test
    void showsTheSameAsText() throws Exception {
        remember();
        CliRun run = CliRun.of("status", "--state-dir", state.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Selected: 127.0.0.1:1 (primary 127.0.0.1:1)")
                .contains("Challenger: 127.0.0.1:3, better on 1 run(s) so far")
                .contains("SERVER").contains("+200 ns").contains("2/2")
                .contains("Blacklisted:").contains("127.0.0.1:2 until")
                .contains("Last decision: step at " + java.time.Instant.ofEpochSecond(0, DECIDED_AT)
                        + ", skew +250.000 ms: skew 250.000 ms is at least 100.000 ms");
    }

    @Test
    void ntpsecAndTheClassicNtpdAreNamedInTextAndJson(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc/ntpsec"));
        Files.writeString(root.resolve("etc/ntpsec/ntp.conf"), "pool 0.debian.pool.ntp.org iburst\n");
        CliRun text = CliRun.of("status", "--root", root.toString(), "--state-dir", state.toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("Time service: ntpd, NTPsec (installed, not answering)\n");
        JsonNode service = JSON.readTree(CliRun.of("status", "--json", "--root", root.toString(), "--state-dir",
                state.toString()).out()).get("service");
        assertThat(service.get("name").asText()).isEqualTo("ntpd");
        assertThat(service.get("variant").asText()).isEqualTo("ntpsec");
        assertThat(service.get("frequencyPpm").isNull()).isTrue();

        // Debian's classic ntp package: /etc/ntp.conf, ntp.service, ntpdc; a pid file naming a live ntpd.
        Path classic = Files.createDirectories(root.resolve("classic"));
        Files.createDirectories(classic.resolve("etc"));
        Files.writeString(classic.resolve("etc/ntp.conf"), "pool 0.debian.pool.ntp.org iburst\n");
        Files.createDirectories(classic.resolve("lib/systemd/system"));
        Files.writeString(classic.resolve("lib/systemd/system/ntp.service"), "[Unit]\n");
        Files.createDirectories(classic.resolve("run"));
        Files.writeString(classic.resolve("run/ntpd.pid"), "77\n");
        Files.createDirectories(classic.resolve("proc/77"));
        Files.writeString(classic.resolve("proc/77/comm"), "ntpd\n");
        CliRun running = CliRun.of("status", "--root", classic.toString(), "--state-dir", state.toString());
        assertThat(running.out()).startsWith("Time service: ntpd, classic ntp.org ntpd (active)\n");
        JsonNode classicService = JSON.readTree(CliRun.of("status", "--json", "--root", classic.toString(), "--state-dir",
                state.toString()).out()).get("service");
        assertThat(classicService.get("variant").asText()).isEqualTo("ntp");
        assertThat(classicService.get("active").asBoolean()).isTrue();
        assertThat(classicService.get("detail").asText()).startsWith("ntpd runs (pid 77 from ");
    }

    @Test
    void anEmptyStateSaysWhatToDo() {
        CliRun run = CliRun.of("status", "--state-dir", state.resolve("none").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("nothing yet (run 'timesync optimize')");
    }

    @Test
    void anUnreadableStateExits73() throws Exception {
        Files.writeString(state.resolve("memo.json"), "{\"version\":99,\"selection\":{\"servers\":[]},\"servers\":{}}");
        CliRun run = CliRun.of("status", "--state-dir", state.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.CANNOT_WRITE);
        assertThat(run.err()).contains("newer TimeSync");
    }

    /**
     * Two selected NTS servers, each with a session: the first authenticated in its last run, the
     * second not (its replies were stripped, say), the third a plain server.
     */
    private void rememberNts() throws Exception {
        long now = TimeSource.system().wallClockNanos();
        long hour = Duration.ofHours(1).toNanos();
        ServerRecord verified = new ServerRecord(0b11, 2, 0, 0, null, null, List.of(
                new HistoryEntry(now - 2 * hour, 100L, 50_000L, 10L, 2, null, "selected", false),
                new HistoryEntry(now - hour, 200L, 50_000L, 10L, 2, null, "selected", true)));
        ServerRecord failed = new ServerRecord(0b10, 2, 1, 0, null, null, List.of(
                new HistoryEntry(now - 2 * hour, 100L, 50_000L, 10L, 2, null, "selected", true),
                new HistoryEntry(now - hour, null, null, null, null, null, "unauthenticated", false)));
        ServerRecord plain = new ServerRecord(0b1, 1, 0, 0, null, null, List.of(
                new HistoryEntry(now - hour, 300L, 50_000L, 10L, 2, null, "selected")));
        Memo memo = Memo.EMPTY.withSelection(new Selection(List.of("127.0.0.1:11", "127.0.0.1:12", "127.0.0.1:13"), null, 0))
                .withServers(Map.of("127.0.0.1:11", verified, "127.0.0.1:12", failed, "127.0.0.1:13", plain));
        new JsonMemoStore(state).update(m -> memo);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<NtsSession> sessions = List.of(
                new NtsSession(new ServerAddress("localhost", 4460), new InetSocketAddress(loopback, 11), new byte[32],
                        new byte[32], List.of(new byte[100]), now - hour),
                // Spent: no cookie left, yet it still names the server it was for.
                new NtsSession(new ServerAddress("localhost", 4461), new InetSocketAddress(loopback, 12), new byte[32],
                        new byte[32], List.of(), now - hour));
        new NtsSessionStore(state.resolve(Configuration.SESSIONS_FILE)).save(sessions);
    }

    @Test
    void marksAsNtsOnlyTheServersWhoseLastMeasurementWasAuthenticated() throws Exception {
        rememberNts();
        CliRun text = CliRun.of("status", "--state-dir", state.toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("Selected: 127.0.0.1:11 (NTS), 127.0.0.1:12 (NTS server, not authenticated in the"
                + " last run), 127.0.0.1:13 (primary 127.0.0.1:11)");

        CliRun json = CliRun.of("status", "--json", "--state-dir", state.toString());
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode servers = JSON.readTree(json.out()).get("servers");
        assertThat(servers.get(0).get("server").asText()).isEqualTo("127.0.0.1:11");
        assertThat(servers.get(0).get("authenticated").asBoolean()).isTrue();
        assertThat(servers.get(1).get("authenticated").isBoolean()).isTrue();
        assertThat(servers.get(1).get("authenticated").asBoolean()).isFalse();
        assertThat(servers.get(2).get("authenticated").asBoolean()).isFalse();
        assertThat(JSON.readTree(json.out()).get("nts")).hasSize(2);
    }
}
