package io.timesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timesync.correct.CommandRunner;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.testing.ChronyExtension;
import io.timesync.testing.RequiredTool;
import io.timesync.unix.setup.PackageManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code timesync setup}: plans under other roots, a real chronyd, and the real apt-get's simulation here. */
class SetupCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ChronyExtension chrony = new ChronyExtension(8);

    @TempDir
    Path dir;

    /** A real os-release file from timesync-unix's test resources (sources in the README there). */
    private static String recordedOsRelease(String name) throws Exception {
        return Files.readString(Path.of("..", "timesync-unix", "src", "test", "resources", "os-release", name));
    }

    /** A root with this os-release text and these programs in usr/bin. */
    private Path system(String osRelease, String... programs) throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.writeString(root.resolve("etc/os-release"), osRelease);
        for (String p : programs) {
            Files.writeString(root.resolve("usr/bin/" + p), "");
        }
        return root;
    }

    private static List<List<String>> argvs(JsonNode doc) {
        List<List<String>> argvs = new ArrayList<>();
        for (JsonNode step : doc.get("steps")) {
            List<String> argv = new ArrayList<>();
            step.get("argv").forEach(a -> argv.add(a.asText()));
            argvs.add(argv);
        }
        return argvs;
    }

    @Test
    void dryRunOnAFedoraRootPrintsTheExactArgumentLists() throws Exception {
        Path root = system(recordedOsRelease("fedora-42"), "dnf", "yum", "systemctl");
        CliRun run = CliRun.of("setup", "--dry-run", "--json", "--root", root.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("os").asText()).isEqualTo("Fedora Linux 42 (Forty Two)");
        assertThat(doc.get("packageManager").asText()).isEqualTo("dnf");
        assertThat(argvs(doc)).containsExactly(List.of("dnf", "install", "-y", "chrony"),
                List.of("systemctl", "--root=" + root, "enable", "chronyd"));
        assertThat(doc.get("simulation").isNull()).as("nothing is simulated for another root").isTrue();
        assertThat(root.resolve("usr/bin/dnf")).isEmptyFile();
    }

    @Test
    void dryRunAsTextOnAnUbuntuRootAskingForTimesyncd() throws Exception {
        Path root = system(recordedOsRelease("ubuntu-24.04"), "apt-get", "systemctl");
        CliRun run = CliRun.of("setup", "--dry-run", "--service", "timesyncd", "--root", root.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("System: Ubuntu 24.04.3 LTS; package manager: apt-get; init: systemd")
                .contains("1. run apt-get update").contains("2. run env DEBIAN_FRONTEND=noninteractive apt-get install -y systemd-timesyncd")
                .contains("3. run systemctl --root=" + root + " enable systemd-timesyncd").endsWith("Dry run: nothing changed."
                        + System.lineSeparator());
    }

    @Test
    void aSystemWhosePid1IsNotSystemdGetsNoSystemctlInItsPlan() throws Exception {
        // Installed systemd files (as in a container image) do not make systemd the init system.
        Path root = system(recordedOsRelease("debian-12"), "apt-get", "systemctl");
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.createDirectories(root.resolve("proc/1"));
        Files.writeString(root.resolve("proc/1/comm"), "bash\n");
        CliRun run = CliRun.of("setup", "--dry-run", "--json", "--root", root.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("init").asText()).isEqualTo("none (PID 1 is bash)");
        assertThat(argvs(doc)).containsExactly(List.of("apt-get", "update"),
                List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "chrony"));
        assertThat(doc.get("reason").asText()).contains("no init system found to start it with");

        Files.createDirectories(root.resolve("run/systemd/system"));
        Files.writeString(root.resolve("proc/1/comm"), "systemd\n");
        JsonNode systemd = JSON.readTree(CliRun.of("setup", "--dry-run", "--json", "--root", root.toString()).out());
        assertThat(systemd.get("init").asText()).isEqualTo("systemd");
        assertThat(argvs(systemd)).last().isEqualTo(List.of("systemctl", "--root=" + root, "enable", "chrony"));
    }

    @Test
    void onThisMachineSystemctlIsPlannedOnlyWhenPid1IsSystemd() throws Exception {
        CliRun run = CliRun.of("setup", "--dry-run", "--json");
        String init = io.timesync.unix.host.InitSystem.describe(Path.of("/"));
        if (run.exitCode() == ExitCode.OK) {
            JsonNode doc = JSON.readTree(run.out());
            assertThat(doc.get("init").asText()).isEqualTo(init);
            if (!init.equals("systemd")) {
                assertThat(argvs(doc)).noneMatch(argv -> argv.get(0).equals("systemctl"));
            }
        } else {
            // chrony installed but stopped, and no init system to start it with.
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.NO_SERVER);
            assertThat(init).isNotEqualTo("systemd");
            assertThat(run.err()).contains("no init system").doesNotContain("systemctl");
        }
    }

    @Test
    void installingIntoAnotherRootIsRefusedWithoutDryRun() throws Exception {
        Path root = system("ID=arch\n", "pacman");
        CliRun run = CliRun.of("setup", "--root", root.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("cannot be installed into another root").contains("--dry-run");
    }

    @Test
    void noPackageManagerExits69AndSaysWhatToInstall() throws Exception {
        Path root = system("ID=gentoo\n");
        CliRun run = CliRun.of("setup", "--dry-run", "--root", root.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(run.err()).contains("no package manager found").contains("install chrony by hand");
    }

    @Test
    void aServiceNotPackagedHereExits69() throws Exception {
        Path root = system(recordedOsRelease("alpine-3.23"), "apk");
        CliRun run = CliRun.of("setup", "--dry-run", "--service", "ntpsec", "--root", root.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(run.err()).contains("ntpsec is not packaged for apk");
    }

    @Test
    void anUnknownServiceIsAUsageError() {
        CliRun run = CliRun.of("setup", "--dry-run", "--service", "w32time");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("'w32time' is not a time service TimeSync sets up");
    }

    @Test
    void aRunningChronydNeedsNothing() throws Exception {
        Path root = ChronyRoot.create(dir.resolve("root"), chrony.server());
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), recordedOsRelease("debian-12"));
        CliRun run = CliRun.of("setup", "--root", root.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Nothing to do: chrony is installed and active.");
    }

    /** A Debian root where chrony is installed (its config and unit) but not running, and systemctl is here. */
    private Path stoppedChrony(boolean withUnit) throws Exception {
        Path root = system(recordedOsRelease("debian-12"), "apt-get", "systemctl");
        Files.createDirectories(root.resolve("etc/chrony"));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), "bindcmdaddress /run/chrony/chronyd.sock\n");
        if (withUnit) {
            Files.createDirectories(root.resolve("lib/systemd/system"));
            Files.writeString(root.resolve("lib/systemd/system/chrony.service"), String.join("\n", "[Unit]",
                    "Description=chrony, an NTP client/server", "[Service]", "ExecStart=/usr/sbin/chronyd -F 1", "[Install]",
                    "WantedBy=multi-user.target", ""));
        }
        if (!Files.isExecutable(Path.of("/usr/bin/systemctl")) && !Files.isExecutable(Path.of("/bin/systemctl"))) {
            RequiredTool.missing("systemctl is not installed; setup's tests enable units with systemctl --root: apt-get install systemd");
        }
        return root;
    }

    @Test
    void anInstalledServiceIsEnabledForRealWithSystemctlUnderTheRoot() throws Exception {
        Path root = stoppedChrony(true);
        CliRun run = CliRun.of("setup", "--root", root.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("1. run systemctl --root=" + root + " enable chrony")
                .contains("Done: chrony is installed and enabled but does not answer yet");
        assertThat(root.resolve("etc/systemd/system/multi-user.target.wants/chrony.service")).isSymbolicLink();
    }

    @Test
    void aFailingCommandExits71WithItsOutput() throws Exception {
        Path root = stoppedChrony(false);
        CliRun run = CliRun.of("setup", "--root", root.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.CORRECTION_FAILED);
        assertThat(run.err()).contains("systemctl --root=" + root + " enable chrony failed (exit 1)").contains("chrony.service");
    }

    /**
     * Through the command on this machine: the plan, then the real {@code apt-get -s install ntpsec} and
     * its output. The tests need chrony installed, and Debian's ntpsec conflicts with it, so ntpsec is
     * never installed here and the plan always installs it.
     */
    @Test
    void dryRunHereShowsAptGetsOwnSimulation() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            RequiredTool.missing("apt-get is not here (not a Debian-like system); CI runs on Debian, where setup is tested");
        }
        CliRun text = CliRun.of("setup", "--dry-run", "--service", "ntpsec");
        assertThat(text.exitCode()).as(text.err()).isZero();
        String nl = System.lineSeparator();
        assertThat(text.out()).contains("; package manager: apt-get; init: ")
                .contains(". run env DEBIAN_FRONTEND=noninteractive apt-get install -y ntpsec" + nl)
                .contains("apt-get -s install ntpsec (the package manager's own dry run) exited 0:" + nl)
                .containsPattern("\n    Inst ntpsec ")
                // Debian's time services conflict: the simulation shows chrony going.
                .contains("    The following packages will be REMOVED:" + nl + "      chrony" + nl)
                .endsWith("Dry run: nothing changed." + nl);
        assertThat(text.out().indexOf("Dry run: nothing changed.")).isGreaterThan(text.out().indexOf("Inst ntpsec"));

        CliRun json = CliRun.of("setup", "--dry-run", "--json", "--service", "ntpsec");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode simulation = JSON.readTree(json.out()).get("simulation");
        assertThat(simulation.get("argv")).hasToString("[\"apt-get\",\"-s\",\"install\",\"ntpsec\"]");
        assertThat(simulation.get("exitCode").asInt()).isZero();
        assertThat(simulation.get("output").asText()).contains("Remv chrony").contains("Inst ntpsec");
    }

    /** The real apt-get of this machine simulates the install the plan would run (changing nothing). */
    @Test
    void aptGetSimulatesInstallingChronyHere() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            RequiredTool.missing("apt-get is not here (not a Debian-like system); CI runs on Debian, where setup is tested");
        }
        List<String> argv = PackageManager.APT_GET.simulateArgv(List.of("chrony")).orElseThrow();
        assertThat(argv).containsExactly("apt-get", "-s", "install", "chrony");
        CommandRunner.Result result = new ProcessCommandRunner().run(argv, Duration.ofMinutes(2));
        assertThat(result.exitCode()).as(result.stderr() + result.stdout()).isZero();
        assertThat(result.stdout()).containsPattern("chrony is already the newest version|Inst chrony ");
    }
}
