package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.api.TimeSource;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.memo.ServerRecord;
import io.timesync.memo.ServerRecord.HistoryEntry;
import io.timesync.select.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    private void remember() throws Exception {
        long now = TimeSource.system().wallClockNanos();
        long hour = Duration.ofHours(1).toNanos();
        ServerRecord good = new ServerRecord(0b111, 3, 0, 0, null, null, List.of(
                new HistoryEntry(now - 30 * hour, 999_999L, 1L, 1L, 2, 90.0, "selected"),
                new HistoryEntry(now - 2 * hour, 100L, 50_000L, 10L, 2, 98.0, "selected"),
                new HistoryEntry(now - hour, 300L, 50_000L, 10L, 2, 98.0, "selected")));
        ServerRecord bad = new ServerRecord(0, 3, 0, 1, now + hour, "3 runs in a row without a valid reply; cool-down PT1H",
                List.of(new HistoryEntry(now - hour, null, null, null, null, null, "unreachable")));
        Memo memo = Memo.EMPTY.withSelection(new Selection(List.of("127.0.0.1:1"), "127.0.0.1:3", 1))
                .withServers(Map.of("127.0.0.1:1", good, "127.0.0.1:2", bad));
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
    }

    @Test
    void showsTheSameAsText() throws Exception {
        remember();
        CliRun run = CliRun.of("status", "--state-dir", state.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Selected: 127.0.0.1:1 (primary 127.0.0.1:1)")
                .contains("Challenger: 127.0.0.1:3, better on 1 run(s) so far")
                .contains("SERVER").contains("+200 ns").contains("2/2")
                .contains("Blacklisted:").contains("127.0.0.1:2 until");
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
}
