package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.testing.ChronyServer;
import io.timesync.testing.Loopback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timesync optimize} against real servers on loopback: three honest chronyd, one an hour
 * ahead (libfaketime) and one 250 ms ahead (a chronyd following an honest one with chrony's
 * {@code offset} option).
 */
class OptimizeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ChronyServer> RUNNING = new ArrayList<>();
    private static Path chronyDir;
    static ChronyServer honestA;
    static ChronyServer honestB;
    static ChronyServer honestC;
    static ChronyServer hourAhead;
    static ChronyServer quarterSecondAhead;

    @TempDir
    Path state;

    @BeforeAll
    static void startServers() throws Exception {
        chronyDir = Files.createTempDirectory("timesync-optimize");
        honestA = started(ChronyServer.Spec.local(2));
        honestB = started(ChronyServer.Spec.local(2));
        honestC = started(ChronyServer.Spec.local(2));
        hourAhead = started(ChronyServer.Spec.shifted(2, "+3600s"));
        quarterSecondAhead = started(ChronyServer.Spec.follower(honestA.port(), 2, 0.25));
    }

    private static ChronyServer started(ChronyServer.Spec spec) throws Exception {
        ChronyServer server = ChronyServer.start(chronyDir, spec);
        RUNNING.add(server);
        return server;
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (ChronyServer server : RUNNING) {
            server.close();
        }
    }

    private CliRun optimize(String... args) {
        List<String> argv = new ArrayList<>(List.of("optimize", "--json", "--samples", "2", "--spacing", "20ms",
                "--timeout", "300ms", "--state-dir", state.toString()));
        argv.addAll(List.of(args));
        return CliRun.of(argv.toArray(String[]::new));
    }

    private static Map<String, JsonNode> byAddress(JsonNode doc) {
        Map<String, JsonNode> rows = new HashMap<>();
        doc.get("servers").forEach(row -> rows.put(row.get("address").asText() + ":" + row.get("port").asInt(), row));
        return rows;
    }

    @Test
    void shiftedServersAreFalsetickersAndAnHonestOneIsSelected() throws Exception {
        CliRun run = optimize("--server", honestA.ipv4Server(), "--server", honestB.ipv4Server(), "--server",
                honestC.ipv4Server(), "--server", hourAhead.ipv4Server(), "--server", quarterSecondAhead.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(run.out());
        Map<String, JsonNode> rows = byAddress(doc);
        assertThat(rows.get(hourAhead.ipv4Server()).get("verdict").asText()).isEqualTo("falseticker");
        JsonNode hour = rows.get(hourAhead.ipv4Server());
        assertThat(Math.abs(hour.get("offsetNs").asLong() - 3_600_000_000_000L)).isLessThanOrEqualTo(hour.get("errorBoundNs").asLong());
        assertThat(rows.get(quarterSecondAhead.ipv4Server()).get("verdict").asText()).isEqualTo("falseticker");
        assertThat(rows.get(quarterSecondAhead.ipv4Server()).get("offsetNs").asLong()).isBetween(240_000_000L, 260_000_000L);
        List<String> honest = List.of(honestA.ipv4Server(), honestB.ipv4Server(), honestC.ipv4Server());
        List<String> selected = new ArrayList<>();
        doc.get("selected").forEach(s -> selected.add(s.asText()));
        assertThat(selected).isNotEmpty().allMatch(honest::contains);
        for (String key : honest) {
            JsonNode row = rows.get(key);
            assertThat(row.get("verdict").asText()).isEqualTo("selected");
            assertThat(row.get("score").asDouble()).isGreaterThan(60);
            assertThat(row.get("rank").asInt()).isBetween(1, 3);
            assertThat(row.get("scores").get("stratum").asDouble()).isEqualTo(92.9);
        }
        // Every bound holds its server's true shift; the follower's takes in its root delay and dispersion.
        Map<String, Long> shifts = Map.of(honestA.ipv4Server(), 0L, honestB.ipv4Server(), 0L, honestC.ipv4Server(), 0L,
                hourAhead.ipv4Server(), 3_600_000_000_000L, quarterSecondAhead.ipv4Server(), 250_000_000L);
        shifts.forEach((key, shift) -> assertThat(Math.abs(rows.get(key).get("offsetNs").asLong() - shift))
                .as("%s's offset from its shift", key).isLessThanOrEqualTo(rows.get(key).get("errorBoundNs").asLong()));
        assertThat(doc.get("decision").get("outcome").asText()).isEqualTo("first_selection");
        assertThat(doc.get("strategy").asText()).isEqualTo("best");
        assertThat(new JsonMemoStore(state).load().selection().servers()).isEqualTo(selected);
    }

    @Test
    void aServerStoppedBetweenRunsLosesReachabilityAndIsBlacklistedAfterThreeRuns() throws Exception {
        ChronyServer doomed = ChronyServer.start(chronyDir, ChronyServer.Spec.local(2));
        String doomedKey = doomed.ipv4Server();
        String[] servers = {"--server", doomedKey, "--server", honestA.ipv4Server()};
        try {
            assertThat(optimize(servers).exitCode()).isEqualTo(ExitCode.OK);
        } finally {
            doomed.close();
        }
        for (int run = 2; run <= 4; run++) {
            CliRun r = optimize(servers);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
            assertThat(byAddress(JSON.readTree(r.out())).get(doomedKey).get("verdict").asText()).isEqualTo("unreachable");
        }
        Memo memo = new JsonMemoStore(state).load();
        assertThat(memo.server(doomedKey).runReach()).isEqualTo(0b1000);
        assertThat(memo.server(doomedKey).blacklistReason()).contains("3 runs in a row without a valid reply");
        assertThat(memo.server(honestA.ipv4Server()).runReach()).isEqualTo(0b1111);

        JsonNode fifth = JSON.readTree(optimize(servers).out());
        JsonNode row = byAddress(fifth).get(doomedKey);
        assertThat(row.get("verdict").asText()).isEqualTo("blacklisted");
        assertThat(row.get("reason").asText()).startsWith("blacklisted until");
        assertThat(fifth.get("selected").get(0).asText()).isEqualTo(honestA.ipv4Server());
        assertThat(fifth.get("decision").get("outcome").asText()).isEqualTo("kept");
    }

    @Test
    void dryRunRecordsNothing() {
        CliRun run = CliRun.of("optimize", "--dry-run", "--samples", "1", "--timeout", "300ms", "--state-dir",
                state.toString(), "--server", honestA.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("RANK").contains("selected").contains("Selected: " + honestA.ipv4Server())
                .contains("Dry run: nothing recorded");
        assertThat(state.resolve("memo.json")).doesNotExist();
    }

    @Test
    void firstReachableTakesTheFirstServerThatAnswers() throws Exception {
        int dead = Loopback.freeUdpPort(false);
        CliRun run = optimize("--strategy", "first-reachable", "--server", "127.0.0.1:" + dead, "--server",
                honestB.ipv4Server(), "--server", honestA.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("selected")).hasSize(1);
        assertThat(doc.get("selected").get(0).asText()).isEqualTo(honestB.ipv4Server());
        assertThat(doc.get("servers")).hasSize(2);
        assertThat(byAddress(doc).get("127.0.0.1:" + dead).get("verdict").asText()).isEqualTo("unreachable");
        assertThat(doc.get("strategy").asText()).isEqualTo("first-reachable");
    }

    @Test
    void noMajorityMeansNothingSelectedAndExit69() throws Exception {
        CliRun run = optimize("--server", honestA.ipv4Server(), "--server", hourAhead.ipv4Server());
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(run.err()).contains("no server selected").contains("no majority");
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("selected")).isEmpty();
        assertThat(doc.get("decision").get("outcome").asText()).isEqualTo("no_majority");
    }

    @Test
    void aConfigurationFileSuppliesServersAndSettings() throws Exception {
        Path config = state.resolve("timesync.json");
        Files.writeString(config, "{\"servers\": [\"" + honestC.ipv4Server() + "\"], \"strategy\": \"best\","
                + " \"samples\": 1, \"timeout\": \"300ms\", \"maxStratum\": 1}");
        CliRun strict = CliRun.of("optimize", "--json", "--config", config.toString(), "--state-dir", state.toString());
        assertThat(strict.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(JSON.readTree(strict.out()).get("servers").get(0).get("verdict").asText()).isEqualTo("stratum");
        // The command line wins over the file.
        CliRun relaxed = CliRun.of("optimize", "--json", "--config", config.toString(), "--state-dir", state.toString(),
                "--max-stratum", "2");
        assertThat(relaxed.exitCode()).as(relaxed.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(relaxed.out()).get("selected").get(0).asText()).isEqualTo(honestC.ipv4Server());
    }

    @Test
    void badSettingsExitWith64AndSayWhatIsWrong() throws Exception {
        Path config = state.resolve("bad.properties");
        Files.writeString(config, "servers=127.0.0.1\nfrobnicate=yes\n");
        CliRun unknownKey = CliRun.of("optimize", "--config", config.toString(), "--state-dir", state.toString());
        assertThat(unknownKey.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknownKey.err()).contains("unknown key 'frobnicate'").contains(config.toString());

        CliRun strategy = CliRun.of("optimize", "--strategy", "fastest", "--server", "127.0.0.1");
        assertThat(strategy.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(strategy.err()).contains("'fastest' is not a strategy");

        CliRun region = CliRun.of("optimize", "--region", "Mars/Olympus", "--state-dir", state.toString());
        assertThat(region.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(region.err()).contains("unknown time zone 'Mars/Olympus'");

        CliRun strata = CliRun.of("optimize", "--min-stratum", "5", "--max-stratum", "2", "--server", "127.0.0.1");
        assertThat(strata.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(strata.err()).contains("min-stratum <= max-stratum");
        assertThat(state.resolve("memo.json")).doesNotExist();
    }

    @Test
    void aMemoFromANewerVersionIsNotTouched() throws Exception {
        String newer = "{\"version\":99,\"selection\":{\"servers\":[],\"challengerStreak\":0},\"servers\":{}}";
        Files.writeString(state.resolve("memo.json"), newer);
        CliRun run = optimize("--server", honestA.ipv4Server());
        assertThat(run.exitCode()).isEqualTo(ExitCode.CANNOT_WRITE);
        assertThat(run.err()).contains("newer TimeSync");
        assertThat(state.resolve("memo.json")).hasContent(newer);
    }
}
