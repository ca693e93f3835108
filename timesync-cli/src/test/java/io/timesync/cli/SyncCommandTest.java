package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.text.NanosText;
import io.timesync.memo.JsonMemoStore;
import io.timesync.memo.Memo;
import io.timesync.testing.ChronyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timesync sync} against a real chronyd (with {@code -x}) whose configuration lives under a
 * root prefix, as a copy of /etc would: TimeSync reads {@code ROOT/etc/chrony/chrony.conf}, writes
 * {@code ROOT/etc/chrony/sources.d/timesync.sources} and talks to the daemon's command socket.
 */
class SyncCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static Path work;
    private static ChronyServer upstream;
    private static ChronyServer hourAhead;
    private static ChronyServer client;

    @TempDir
    Path state;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("timesync-sync");
        root = Files.createDirectories(work.resolve("root"));
        Path sources = Files.createDirectories(root.resolve("etc/chrony/sources.d"));
        upstream = ChronyServer.start(work, 2);
        hourAhead = ChronyServer.start(work, ChronyServer.Spec.shifted(2, "+3600s"));
        client = ChronyServer.start(Files.createDirectories(root.resolve("run")),
                new ChronyServer.Spec(10, 10, List.of("sourcedir " + sources), null, Duration.ofSeconds(10)));
        String socket = "/" + root.relativize(client.commandSocket());
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), String.join("\n",
                "# what TimeSync reads: the daemon's own view of its files, absolute on the target system",
                "pool 2.debian.pool.ntp.org iburst", "sourcedir /run/chrony-dhcp", "sourcedir /etc/chrony/sources.d",
                "bindcmdaddress " + socket, "makestep 1 3", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChronyServer s : new ChronyServer[] {client, upstream, hourAhead}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private CliRun sync(String... args) {
        List<String> argv = new ArrayList<>(List.of("sync", "--json", "--root", root.toString(), "--state-dir",
                state.toString(), "--log-dir", state.resolve("logs").toString(), "--samples", "2", "--spacing", "20ms", "--timeout", "300ms"));
        argv.addAll(List.of(args));
        return CliRun.of(argv.toArray(String[]::new));
    }

    private static Path sourcesFile() {
        return root.resolve("etc/chrony/sources.d/timesync.sources");
    }

    @Test
    void dryRunPrintsTheExactPlanAndChangesNothing() throws Exception {
        Files.deleteIfExists(sourcesFile());
        byte[] conf = Files.readAllBytes(root.resolve("etc/chrony/chrony.conf"));
        CliRun run = sync("--dry-run", "--server", upstream.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(run.out());
        JsonNode plan = doc.get("plan");
        assertThat(plan.get(0).get("kind").asText()).isEqualTo("write-file");
        assertThat(plan.get(0).get("path").asText()).isEqualTo(sourcesFile().toString());
        assertThat(plan.get(0).get("content").asText()).endsWith("server 127.0.0.1 port " + upstream.port() + " iburst\n");
        List<String> argv = new ArrayList<>();
        plan.get(1).get("argv").forEach(a -> argv.add(a.asText()));
        assertThat(argv).containsExactly("chronyc", "-h", client.commandSocket().toString(), "-n", "reload", "sources");
        assertThat(doc.get("action").get("kind").asText()).isIn("none", "slew");
        JsonNode source = doc.at("/selection/servers/0");
        assertThat(source.get("address").asText() + ":" + source.get("port").asInt()).isEqualTo(upstream.ipv4Server());
        // The skew's bound is its source's, and holds the truth: 0, the upstream reads our clock.
        assertThat(doc.get("errorBoundNs").asLong()).isEqualTo(source.get("errorBoundNs").asLong())
                .isGreaterThanOrEqualTo(Math.abs(doc.get("skewNs").asLong()));
        assertThat(doc.get("dryRun").asBoolean()).isTrue();
        assertThat(doc.get("applied").asBoolean()).isFalse();
        assertThat(doc.get("selection").get("selected").get(0).asText()).isEqualTo(upstream.ipv4Server());
        assertThat(sourcesFile()).doesNotExist();
        assertThat(state.resolve("memo.json")).doesNotExist();
        assertThat(root.resolve("etc/chrony/chrony.conf")).hasBinaryContent(conf);
    }

    @Test
    void syncConfiguresChronydVerifiesAndRecords() throws Exception {
        Files.deleteIfExists(sourcesFile());
        CliRun run = sync("--mode", "ultrafast", "--server", upstream.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("applied").asBoolean()).isTrue();
        assertThat(doc.get("verified").asBoolean()).isTrue();
        assertThat(sourcesFile()).content().contains("server 127.0.0.1 port " + upstream.port() + " iburst");
        Process chronyc = new ProcessBuilder("chronyc", "-h", client.commandSocket().toString(), "-n", "-c", "sources").start();
        String sources = new String(chronyc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(chronyc.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sources).contains(",127.0.0.1,");
        Memo memo = new JsonMemoStore(state).load();
        assertThat(memo.lastSkewNanos()).isEqualTo(doc.get("skewNs").asLong());
        assertThat(doc.get("decision").get("outcome").asText()).isEqualTo("applied");
        assertThat(state.resolve("logs/status.log")).content().contains(" optimize server=" + upstream.ipv4Server() + " offset=")
                .contains(" bound=")
                .contains("sync     service=chrony servers=" + upstream.ipv4Server() + " state=verified");
        assertThat(state.resolve("logs/status.jsonl")).content().contains("\"event\":\"cycle\"", "\"offsetNs\"",
                "\"errorBoundNs\"");
        assertThat(memo.selection().servers()).containsExactly(upstream.ipv4Server());
        if (doc.get("action").get("kind").asText().equals("slew")) {
            assertThat(memo.lastCorrectionNanos()).isEqualTo(doc.get("skewNs").asLong());
        }

        // The same selection again: the file is already right, so nothing is written.
        JsonNode again = JSON.readTree(sync("--server", upstream.ipv4Server()).out());
        again.get("plan").forEach(step -> assertThat(step.get("kind").asText()).isNotEqualTo("write-file"));
    }

    @Test
    void rollbackPutsThePreviousFileBack() throws Exception {
        Files.writeString(sourcesFile(), "# the version before\n");
        CliRun run = sync("--server", upstream.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(sourcesFile()).content().contains("port " + upstream.port());
        CliRun rollback = CliRun.of("rollback", "--root", root.toString());
        assertThat(rollback.exitCode()).as(rollback.err()).isEqualTo(ExitCode.OK);
        assertThat(rollback.out()).startsWith("Restored " + root.resolve("var/lib/timesync/backups"))
                .contains("made the time service use it");
        assertThat(sourcesFile()).hasContent("# the version before\n");
    }

    @Test
    void statusShowsTheRunningChronydItsSourcesAndTheLastDecision() throws Exception {
        CliRun synced = sync("--server", upstream.ipv4Server());
        assertThat(synced.exitCode()).as(synced.err()).isZero();
        long skew = JSON.readTree(synced.out()).get("skewNs").asLong();
        CliRun text = CliRun.of("status", "--root", root.toString(), "--state-dir", state.toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("Time service: chrony (active; ").contains("frequency")
                .contains(" 127.0.0.1, stratum ").contains("Last skew: " + NanosText.of(skew, true));
        JsonNode doc = JSON.readTree(CliRun.of("status", "--json", "--root", root.toString(), "--state-dir",
                state.toString()).out());
        assertThat(doc.get("service").get("name").asText()).isEqualTo("chrony");
        assertThat(doc.get("service").get("active").asBoolean()).isTrue();
        assertThat(doc.get("service").get("tracking").get("stratum").asInt()).isPositive();
        assertThat(doc.get("service").get("frequencyPpm").asDouble())
                .isEqualTo(doc.get("service").get("tracking").get("frequencyPpm").asDouble());
        assertThat(doc.get("service").get("variant").isNull()).isTrue();
        assertThat(doc.get("service").get("sources")).anySatisfy(source ->
                assertThat(source.get("address").asText()).isEqualTo("127.0.0.1"));
        assertThat(doc.get("last").get("skewNs").asLong()).isEqualTo(skew);
    }

    private CliRun syncUnder(Path other, String... args) {
        List<String> argv = new ArrayList<>(List.of("sync", "--json", "--root", other.toString(), "--state-dir",
                state.toString(), "--samples", "2", "--spacing", "20ms", "--timeout", "300ms"));
        argv.addAll(List.of(args));
        return CliRun.of(argv.toArray(String[]::new));
    }

    // Debian's stock chrony.conf: no bindcmdaddress, so chronyd listens on its default socket.
    private static void stockChronyConf(Path other, String... more) throws java.io.IOException {
        Files.createDirectories(other.resolve("etc/chrony"));
        List<String> lines = new ArrayList<>(List.of("pool 2.debian.pool.ntp.org iburst", "sourcedir /run/chrony-dhcp",
                "sourcedir /etc/chrony/sources.d", "makestep 1 3"));
        lines.addAll(List.of(more));
        Files.write(other.resolve("etc/chrony/chrony.conf"), lines);
    }

    @Test
    void underARootEveryChronycStepNamesTheDefaultSocketUnderThatRoot(@TempDir Path other) throws Exception {
        stockChronyConf(other);
        String socket = other.resolve("run/chrony/chronyd.sock").toString();
        CliRun run = syncUnder(other, "--dry-run", "--allow-large-step", "--server", hourAhead.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode plan = JSON.readTree(run.out()).get("plan");
        List<List<String>> chronyc = new ArrayList<>();
        plan.forEach(step -> {
            if (step.has("argv")) {
                List<String> argv = new ArrayList<>();
                step.get("argv").forEach(a -> argv.add(a.asText()));
                chronyc.add(argv);
            }
        });
        // Without -h, chronyc would ask this machine's chronyd, not the one under the root.
        assertThat(chronyc).containsExactly(List.of("chronyc", "-h", socket, "-n", "reload", "sources"),
                List.of("chronyc", "-h", socket, "-n", "makestep"));
        assertThat(plan.get(plan.size() - 1).get("kind").asText()).isEqualTo("step");

        CliRun text = CliRun.of("sync", "--dry-run", "--allow-large-step", "--root", other.toString(), "--state-dir",
                state.toString(), "--samples", "2", "--spacing", "20ms", "--timeout", "300ms", "--server", hourAhead.ipv4Server());
        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCode.OK);
        assertThat(text.out()).contains("run chronyc -h " + socket + " -n reload sources")
                .contains(": run chronyc -h " + socket + " -n makestep");
    }

    @Test
    void pathsThatLeaveTheRootAreRefusedWithExit64NamingThem(@TempDir Path dir) throws Exception {
        Path other = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside/sources.d"));
        Files.writeString(dir.resolve("outside/x.conf"), "sourcedir /etc/chrony/sources.d\n");
        for (String line : List.of("sourcedir /../outside/sources.d", "include /../outside/x.conf")) {
            Files.createDirectories(other.resolve("etc/chrony"));
            Files.writeString(other.resolve("etc/chrony/chrony.conf"), line + "\n");
            CliRun run = syncUnder(other, "--server", upstream.ipv4Server());
            assertThat(run.exitCode()).as(line + ": " + run.err()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains(line.split(" ")[1] + " leads to ").contains("outside the root " + other)
                    .contains("fix the path or the link");
        }
        // A sources.d that is a symbolic link out of the root is not written through.
        stockChronyConf(other);
        Files.createSymbolicLink(other.resolve("etc/chrony/sources.d"), outside);
        CliRun run = syncUnder(other, "--server", upstream.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("/etc/chrony/sources.d leads to " + outside);
        CliRun dry = syncUnder(other, "--dry-run", "--server", upstream.ipv4Server());
        assertThat(dry.exitCode()).as(dry.err()).isEqualTo(ExitCode.USAGE);
        try (var written = Files.list(outside)) {
            assertThat(written).isEmpty();
        }
        assertThat(dir.resolve("outside/x.conf")).hasContent("sourcedir /etc/chrony/sources.d");
    }

    @Test
    void anIncludeFanOutEndsWithAClearError(@TempDir Path other) throws Exception {
        // Nine files of ten include lines each, each including the next.
        Files.createDirectories(other.resolve("etc/chrony"));
        for (int i = 0; i < 9; i++) {
            List<String> lines = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                lines.add("include /etc/chrony/f" + (i + 1) + ".conf");
            }
            Files.write(other.resolve(i == 0 ? "etc/chrony/chrony.conf" : "etc/chrony/f" + i + ".conf"), lines);
        }
        Files.writeString(other.resolve("etc/chrony/f9.conf"), "sourcedir /etc/chrony/sources.d\n");
        CliRun run = syncUnder(other, "--dry-run", "--server", upstream.ipv4Server());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(run.err()).contains("includes more than 256 files").contains("check them for a fan-out");
    }

    @Test
    void anNtpsecSystemIsOnlyPlannedUnderARootAndNeedsAPort123Server(@TempDir Path other) throws Exception {
        Files.createDirectories(other.resolve("etc/ntpsec"));
        String users = "# the user's ntp.conf\npool 0.debian.pool.ntp.org iburst\n";
        Files.writeString(other.resolve("etc/ntpsec/ntp.conf"), users);
        List<String> common = List.of("sync", "--json", "--root", other.toString(), "--state-dir", state.toString(),
                "--samples", "1", "--timeout", "300ms", "--server", upstream.ipv4Server());
        List<String> dry = new ArrayList<>(common);
        dry.add("--dry-run");
        CliRun plan = CliRun.of(dry.toArray(String[]::new));
        assertThat(plan.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(plan.err()).contains("none of the selected servers is on port 123, the only port ntpd talks to");

        CliRun apply = CliRun.of(common.toArray(String[]::new));
        assertThat(apply.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(apply.err()).contains("ntpd's restart would act on this machine").contains("--dry-run");
        assertThat(other.resolve("etc/ntpsec/ntp.conf")).hasContent(users);
    }

    @Test
    void aTimesyncdSystemIsRecognisedAndAServerItCannotReachIsRefused(@TempDir Path other) throws Exception {
        Files.createDirectories(other.resolve("lib/systemd/system"));
        Files.writeString(other.resolve("lib/systemd/system/systemd-timesyncd.service"), "[Unit]\n");
        // The loopback test server listens on a high port; timesyncd talks to port 123 only.
        CliRun plan = CliRun.of("sync", "--json", "--dry-run", "--root", other.toString(), "--state-dir", state.toString(),
                "--samples", "1", "--timeout", "300ms", "--server", upstream.ipv4Server());
        assertThat(plan.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(plan.err()).contains("none of the selected servers is on port 123, the only port systemd-timesyncd talks to");
        assertThat(other.resolve("etc/systemd/timesyncd.conf.d")).doesNotExist();
    }

    @Test
    void rollbackWithoutRootExits77BeforeTouchingAnything() throws Exception {
        Path backups = Path.of("/var/lib/timesync/backups");
        List<String> before = Files.isDirectory(backups) ? listing(backups) : List.of();
        CliRun run = CliRun.asNobody("rollback");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.PERMISSION);
        assertThat(run.out()).contains("rollback changes the time service's configuration and needs root");
        assertThat(Files.isDirectory(backups) ? listing(backups) : List.of()).isEqualTo(before);
    }

    private static List<String> listing(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(Path::toString).sorted().toList();
        }
    }

    @Test
    void rollbackWithoutChronyIsExit69(@TempDir Path empty) {
        CliRun rollback = CliRun.of("rollback", "--root", empty.toString());
        assertThat(rollback.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(rollback.err()).contains("no chrony configuration");
    }

    @Test
    void aSkewBeyondThePanicBoundIsRefusedAndNothingChanges() throws Exception {
        Files.writeString(sourcesFile(), "# before\n");
        CliRun run = sync("--server", hourAhead.ipv4Server());
        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).contains("beyond the panic bound").contains("--allow-large-step");
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("action").get("kind").asText()).isEqualTo("refuse");
        JsonNode source = doc.at("/selection/servers/0");
        assertThat(source.get("address").asText() + ":" + source.get("port").asInt()).isEqualTo(hourAhead.ipv4Server());
        assertThat(Math.abs(doc.get("skewNs").asLong() - 3_600_000_000_000L)).isLessThanOrEqualTo(doc.get("errorBoundNs").asLong());
        assertThat(doc.get("applied").asBoolean()).isFalse();
        assertThat(sourcesFile()).hasContent("# before\n");
    }

    @Test
    void aPlannedStepShowsTheCommandThatMakesIt() throws Exception {
        List<String> makestep = List.of("chronyc", "-h", client.commandSocket().toString(), "-n", "makestep");
        JsonNode doc = JSON.readTree(sync("--dry-run", "--allow-large-step", "--server", hourAhead.ipv4Server()).out());
        assertThat(doc.get("action").get("kind").asText()).isEqualTo("step");
        JsonNode step = null;
        for (JsonNode s : doc.get("plan")) {
            if (s.get("kind").asText().equals("step")) {
                step = s;
            }
        }
        assertThat(step).as(doc.get("plan").toString()).isNotNull();
        List<String> argv = new ArrayList<>();
        step.get("argv").forEach(a -> argv.add(a.asText()));
        assertThat(argv).isEqualTo(makestep);

        CliRun text = CliRun.of("sync", "--dry-run", "--allow-large-step", "--root", root.toString(), "--state-dir",
                state.toString(), "--log-dir", state.resolve("logs").toString(), "--samples", "2", "--spacing", "20ms",
                "--timeout", "300ms", "--server", hourAhead.ipv4Server());
        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCode.OK);
        assertThat(text.out()).containsPattern("\\d+\\. step by \\+3\\d{3}\\.\\d{3} s: run " + String.join(" ", makestep)
                .replace(".", "\\.") + "\\R");
    }

    @Test
    void noChronyUnderTheRootIsExit69WithWhatToDo(@TempDir Path empty) {
        CliRun run = CliRun.of("sync", "--root", empty.toString(), "--state-dir", state.toString(), "--server", "127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(run.err()).contains("no chrony configuration under " + empty).contains("install chrony");
    }

    @Test
    void aBadModeOrServiceIsAUsageErrorOrUnsupported() {
        CliRun mode = sync("--mode", "warp", "--server", upstream.ipv4Server());
        assertThat(mode.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(mode.err()).contains("'warp' is not a mode");
        CliRun service = sync("--service", "timesyncd", "--server", upstream.ipv4Server());
        assertThat(service.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(service.err()).contains("systemd-timesyncd's restart would act on this machine");
        CliRun unknown = sync("--service", "openntpd", "--server", upstream.ipv4Server());
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(unknown.err()).contains("unknown time service 'openntpd'");
    }

    @Test
    void withoutRootItExits77BeforeTouchingAnything() throws Exception {
        CliRun run = CliRun.asNobody("sync", "--state-dir", state.toString(), "--server", upstream.ipv4Server());
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.PERMISSION);
        assertThat(run.out()).contains("needs root").contains("--dry-run");
        assertThat(state.resolve("memo.json")).doesNotExist();
    }
}
