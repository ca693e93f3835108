package io.timesync.cli;

import io.timesync.app.Machine;
import io.timesync.app.Platforms;
import io.timesync.testing.ChronyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.timesync.correct.CorrectionPolicy.Action;
import io.timesync.correct.CorrectionPolicy.Kind;
import io.timesync.correct.Corrector;
import io.timesync.select.Decision;
import io.timesync.memo.Selection;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Windows branches of the CLI, reviewed from Linux with {@code --platform windows --dry-run}:
 * the exact argument lists are printed and nothing is run on this machine.
 */
class WindowsPlatformCommandsTest {

    @RegisterExtension
    static final ChronyExtension CHRONY = new ChronyExtension(3);

    private static final String EXEC = "C:\\Program Files\\TimeSync\\bin\\timesync.cmd";

    @TempDir
    Path state;

    @Test
    void aScheduledTaskPlanShowsTheExactSchtasksArguments() {
        CliRun run = CliRun.of("service", "install", "--platform", "windows", "--dry-run", "--exec", EXEC, "--mode", "lazy");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Plan (schtasks):")
                .contains("run schtasks /create /tn TimeSync /tr \"\\\"C:\\Program Files\\TimeSync\\bin\\timesync.cmd\\\" sync --mode lazy\""
                        + " /sc minute /mo 30 /ru SYSTEM /rl HIGHEST /f")
                .contains("Dry run: nothing changed.");
    }

    @Test
    void withNssmTheServiceRestartsAfterTheInterval() {
        CliRun run = CliRun.of("service", "install", "--platform", "windows", "--dry-run", "--exec", EXEC, "--nssm",
                "C:\\nssm\\nssm.exe", "--interval", "5m");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Plan (nssm):").contains("run C:\\nssm\\nssm.exe install TimeSync " + EXEC)
                .contains("run C:\\nssm\\nssm.exe set TimeSync AppParameters \"sync --mode fast\"")
                .contains("run C:\\nssm\\nssm.exe set TimeSync Start SERVICE_AUTO_START")
                .contains("run C:\\nssm\\nssm.exe set TimeSync AppRestartDelay 300000")
                .contains("run C:\\nssm\\nssm.exe start TimeSync");
    }

    @Test
    void anotherPlatformOnlyPlansAndNeedsAWindowsProgram() {
        CliRun apply = CliRun.of("service", "install", "--platform", "windows", "--exec", EXEC);
        assertThat(apply.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(apply.err()).contains("add --dry-run");
        CliRun linuxJava = CliRun.of("service", "install", "--platform", "windows", "--dry-run", "--exec", "/usr/bin/java");
        assertThat(linuxJava.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(linuxJava.err()).contains("absolute path such as C:\\");
        CliRun uninstall = CliRun.of("service", "uninstall", "--platform", "windows", "--dry-run");
        assertThat(uninstall.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(uninstall.err()).contains("run it on the Windows machine");
        CliRun unknown = CliRun.of("sync", "--platform", "beos", "--dry-run");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("unknown platform 'beos'").contains("windows");
        CliRun sync = CliRun.of("sync", "--platform", "windows", "--server", "127.0.0.1");
        assertThat(sync.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(sync.err()).contains("--platform windows plans for another machine");
    }

    @Test
    void onWindowsTheServiceIsW32time() {
        // The plan itself, argument by argument, is WindowsSyncCommandTest's.
        CliRun other = CliRun.of("sync", "--platform", "windows", "--dry-run", "--service", "chrony", "--state-dir", state.toString(),
                "--server", CHRONY.server().ipv4Server(), "--samples", "1", "--timeout", "300ms");
        assertThat(other.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(other.err()).contains("on Windows the time service is w32time");
    }

    @Test
    void theJsonPlanCarriesEachArgumentList() throws Exception {
        Corrector w32time = Platforms.forName("windows").corrector(Machine.running().host(true),
                new io.timesync.platform.ServiceRequest(Path.of("/"), null, true, false, io.timesync.time.Mode.FAST));
        Decision decision = new Decision(List.of(), new Selection(List.of("time.example:123", "192.0.2.1:123"), null, 0),
                Decision.Outcome.FIRST_SELECTION, "test");
        List<java.util.Map<String, Object>> steps = PlanText.steps(w32time.plan(decision, new Action(Kind.SLEW, 1_000_000, "slew")));
        assertThat(steps).extracting(s -> s.get("argv")).contains(
                List.of("reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config", "/v", "MinPollInterval", "/t",
                        "REG_DWORD", "/d", "6", "/f"),
                List.of("w32tm", "/config", "/manualpeerlist:time.example,0x8 192.0.2.1,0x8", "/syncfromflags:manual", "/update"),
                List.of("w32tm", "/resync", "/nowait"));
        assertThat(steps).extracting(s -> s.get("kind")).contains("run-command", "slew");
        // A registry value's step is a command to scripts that read argv, with the value it sets beside it.
        assertThat(steps.get(0).get("sets")).isEqualTo(java.util.Map.of("store", "registry",
                "key", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config", "name", "MinPollInterval",
                "type", "REG_DWORD", "value", "6"));
        assertThat(steps).filteredOn(s -> s.get("sets") != null && ((List<?>) s.get("argv")).get(0).equals("w32tm"))
                .singleElement().satisfies(s -> assertThat((java.util.Map<Object, Object>) s.get("sets")).containsEntry("name", "NtpServer")
                        .containsEntry("value", "time.example,0x8 192.0.2.1,0x8"));
        java.io.StringWriter text = new java.io.StringWriter();
        PlanText.print(w32time.plan(decision, new Action(Kind.STEP, 250_000_000, "step")), new java.io.PrintWriter(text, true));
        assertThat(text.toString()).contains("Plan (w32time):",
                "  1. run reg add HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config /v MinPollInterval /t REG_DWORD /d 6 /f\n"
                        + "       sets MinPollInterval in HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config (registry) to"
                        + " REG_DWORD 6\n",
                "  5. run reg add HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters /v Type /t REG_SZ /d NTP /f",
                "  6. run w32tm /config /manualpeerlist:time.example,0x8 192.0.2.1,0x8 /syncfromflags:manual /update",
                "  7. step by +250.000 ms (made by the service as this plan restarts or resyncs it)",
                "  8. run w32tm /resync /force");
    }

    @Test
    void windowsRefusingForLackOfElevationIsExit77WithWhatToDo() {
        io.timesync.windows.w32time.CommandFailure denied = io.timesync.windows.w32time.CommandFailure.of(new io.timesync.correct.CommandRunner.Result(
                List.of("reg", "add", "HKLM\\X", "/v", "A", "/t", "REG_DWORD", "/d", "1", "/f"), 1, "", "ERROR: Access is denied.\r\n"));
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.PrintWriter err = new java.io.PrintWriter(text, true);
        int code = SyncCommand.elevationOr(Platforms.forName("windows"), new io.timesync.correct.CorrectionException(denied.getMessage(), true, denied),
                ExitCode.CORRECTION_FAILED, err);
        assertThat(code).isEqualTo(ExitCode.PERMISSION);
        assertThat(text.toString()).contains("needs Administrator rights").contains("elevated prompt");
        io.timesync.windows.w32time.CommandFailure other = io.timesync.windows.w32time.CommandFailure.of(new io.timesync.correct.CommandRunner.Result(
                List.of("w32tm", "/resync", "/force"), 1, "The following error occurred: The service has not been started. (0x80070426)", ""));
        assertThat(SyncCommand.elevationOr(Platforms.forName("windows"), new java.io.IOException("x", other), ExitCode.CORRECTION_FAILED, err))
                .isEqualTo(ExitCode.CORRECTION_FAILED);
    }

    @Test
    void theLauncherIsBinTimesyncCmdBesideTheJarElseJavaExe(@TempDir Path home) throws Exception {
        Path jar = java.nio.file.Files.createDirectories(home.resolve("lib")).resolve("timesync.jar");
        List<String> javaCommand = List.of("C:\\Java\\bin\\java", "-jar", jar.toString());
        assertThat(io.timesync.windows.service.WindowsAgentInstaller.launcher(jar, javaCommand)).containsExactly("C:\\Java\\bin\\java.exe", "-jar", jar.toString());
        Path cmd = java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(home.resolve("bin")).resolve("timesync.cmd"), "");
        assertThat(io.timesync.windows.service.WindowsAgentInstaller.launcher(jar, javaCommand)).containsExactly(cmd.toAbsolutePath().toString());
    }
}
