package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.app.doctor.Check;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.LockHolder;
import io.timesync.testing.Loopback;
import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code timesync doctor} end to end: real chronyd on loopback, real DNS for localhost, real files. */
class DoctorCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ChronyExtension chrony = new ChronyExtension(8);

    @TempDir
    Path dir;

    private Path rootWithChrony() throws Exception {
        return ChronyRoot.create(dir.resolve("root"), chrony.server());
    }

    private static CliRun doctor(Path root, Path state, String... more) {
        List<String> args = new ArrayList<>(List.of("doctor", "--root", root.toString(), "--state-dir", state.toString(),
                "--samples", "2", "--spacing", "50ms", "--timeout", "500ms"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    static JsonNode check(JsonNode doc, String id) {
        for (JsonNode c : doc.get("checks")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no check " + id + " in " + doc);
    }

    @Test
    void everythingPassesAgainstARunningChronydAndExitsZero() throws Exception {
        int port = chrony.server().port();
        // localhost resolves to ::1 too where /etc/hosts says so; chronyd serves there only where lo has IPv6.
        boolean name = chrony.server().servesIpv6();
        CliRun run = doctor(rootWithChrony(), dir.resolve("state"), "--json",
                "--server", "127.0.0.1:" + port, "--server", (name ? "localhost:" : "127.0.0.1:") + port);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(doc.get("status").asText()).isEqualTo("pass");
        assertThat(doc.get("checks")).extracting(c -> c.get("id").asText()).containsExactly("privileges", "time-service",
                "synchronised", "dns", "ntp", "state-dir", "log-dir", "lock", "leap", "offset");
        assertThat(check(doc, "time-service").get("detail").asText()).startsWith("chrony is active");
        assertThat(check(doc, "synchronised").get("detail").asText()).contains("stratum 8");
        if (name) {
            assertThat(check(doc, "dns").get("detail").asText()).contains("localhost -> 127.0.0.1");
        }
        assertThat(check(doc, "ntp").get("detail").asText()).contains("127.0.0.1:" + port + " stratum 8");
        assertThat(check(doc, "offset").get("detail").asText()).contains("chronyd's tracking");
        assertThat(check(doc, "ntp").get("fix").isNull()).isTrue();
        assertThat(dir.resolve("state")).as("doctor creates nothing").doesNotExist();
    }

    @Test
    void textReportSaysAllPass() throws Exception {
        CliRun run = doctor(rootWithChrony(), dir.resolve("state"), "--server", chrony.server().ipv4Server());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("[PASS] NTP replies arrive from the servers: all 1 address(es) answered")
                .endsWith("All checks pass." + System.lineSeparator());
    }

    @Test
    void aServerThatNeverAnswersWithDnsWorkingPointsAtTheFirewall() throws Exception {
        Path root = rootWithChrony();
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve("usr/sbin/nft"), "");
        // A port nobody serves, behind a name that resolves: the replies never come, like a dropped UDP 123.
        int silentPort = Loopback.freeUdpPort(false);
        CliRun run = doctor(root, dir.resolve("state"), "--json", "--server", "localhost:" + silentPort);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.NO_SERVER);
        JsonNode ntp = check(doc, "ntp");
        assertThat(ntp.get("status").asText()).isEqualTo("fail");
        assertThat(ntp.get("detail").asText()).contains("although DNS works").contains("port " + silentPort);
        assertThat(ntp.get("fix").asText()).startsWith("nftables: list its rules with 'nft list ruleset'");
        assertThat(check(doc, "dns").get("status").asText()).isEqualTo("pass");
        // The time service's own view still gives leap and offset.
        assertThat(check(doc, "offset").get("status").asText()).isEqualTo("pass");
    }

    @Test
    void anotherAgentHoldingTheLockWarnsAndExitsOne() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        try (LockHolder holder = LockHolder.hold(state.resolve("memo.lock"), dir)) {
            CliRun run = doctor(rootWithChrony(), state, "--json", "--server", chrony.server().ipv4Server());
            JsonNode doc = JSON.readTree(run.out());
            assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.WARNINGS);
            assertThat(doc.get("status").asText()).isEqualTo("warn");
            assertThat(check(doc, "lock").get("status").asText()).isEqualTo("warn");
            assertThat(check(doc, "lock").get("detail").asText()).contains("another TimeSync holds");
        }
    }

    @Test
    void noTimeServiceFailsWith69AndPointsAtSetup() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun run = doctor(empty, dir.resolve("state"), "--json", "--server", chrony.server().ipv4Server());
        JsonNode doc = JSON.readTree(run.out());
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(check(doc, "time-service").get("fix").asText()).contains("timesync setup");
        // Without chrony's view, leap and offset come from the servers' replies.
        assertThat(check(doc, "offset").get("detail").asText()).contains("the median of");
        assertThat(check(doc, "leap").get("status").asText()).isEqualTo("pass");
    }

    @Test
    void aStateDirectoryUnderAFileFailsWith73() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRun run = doctor(rootWithChrony(), file.resolve("state"), "--json", "--server", chrony.server().ipv4Server());
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.CANNOT_WRITE);
        assertThat(check(JSON.readTree(run.out()), "state-dir").get("detail").asText()).contains("is not a directory");
    }

    /**
     * A state directory that exists but that this user may not write in: the permission bites for
     * real, so doctor runs in a child JVM. Root writes anywhere through CAP_DAC_OVERRIDE; as root the
     * child runs without it (setpriv drops it from the bounding set), so the directory's r-x bits
     * apply to its owner as they would to anyone else.
     */
    @Test
    void aStateDirectoryThatCannotBeWrittenFailsWith77() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-xr-xr-x"));
        List<String> command = new ArrayList<>();
        if (Files.isWritable(state)) {
            command.addAll(List.of(RequiredTool.find("TIMESYNC_SETPRIV", "setpriv", "apt-get install util-linux").toString(),
                    "--bounding-set=-dac_override,-dac_read_search"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "doctor", "--json",
                "--root", rootWithChrony().toString(), "--state-dir", state.toString(),
                "--server", chrony.server().ipv4Server(), "--samples", "2", "--spacing", "50ms", "--timeout", "500ms"));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("err"));
        assertThat(p.exitValue()).as(out + err).isEqualTo(ExitCode.PERMISSION);
        JsonNode doc = JSON.readTree(out);
        JsonNode check = check(doc, "state-dir");
        assertThat(check.get("status").asText()).isEqualTo("fail");
        assertThat(check.get("detail").asText()).isEqualTo("permission denied writing in " + state);
        assertThat(check.get("fix").asText()).contains("run as root, or choose a directory you own (--state-dir DIR)");
        assertThat(doc.get("exitCode").asInt()).isEqualTo(ExitCode.PERMISSION);
        // Every check before it passed: 77 is the state directory's, not an earlier failure's.
        for (JsonNode c : doc.get("checks")) {
            if (c.get("id").asText().equals("state-dir")) {
                break;
            }
            assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("pass");
        }
        try (var files = Files.list(state)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aBadServerIsAUsageError() {
        CliRun run = CliRun.of("doctor", "--server", "bad host name");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theExitCodeIsTheFirstFailuresElseOneForWarningsElseZero() {
        Check pass = Check.pass("a", "a", "ok");
        Check warn = Check.warn("b", "b", "hm", "fix");
        assertThat(DoctorCommand.exitCode(List.of(pass, Check.skip("c", "c", "-")))).isZero();
        assertThat(DoctorCommand.exitCode(List.of(pass, warn))).isEqualTo(1);
        assertThat(DoctorCommand.exitCode(List.of(warn, Check.fail("d", "d", "x", "y", Check.Cause.PERMISSION),
                Check.fail("e", "e", "x", "y", Check.Cause.NO_SERVER)))).isEqualTo(77);
    }
}
