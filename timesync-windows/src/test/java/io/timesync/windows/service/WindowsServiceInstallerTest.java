package io.timesync.windows.service;

import io.timesync.correct.CommandRunner;
import io.timesync.correct.Plan;
import io.timesync.windows.w32time.CommandFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Windows installer's exact argument lists, on a runner that records them and fails on anything unplanned. */
class WindowsServiceInstallerTest {

    private static final String NSSM = "C:\\Program Files\\nssm\\win64\\nssm.exe";
    private static final List<String> COMMAND = List.of("C:\\Program Files\\TimeSync\\bin\\timesync.cmd", "sync", "--mode", "fast");

    /** Answers every command with its scripted result; a command without one is a bug in the installer. */
    private static final class Recording implements CommandRunner {
        final List<List<String>> calls = new ArrayList<>();
        final Map<List<String>, Result> answers = new HashMap<>();

        void answer(int exit, String out, String... argv) {
            answers.put(List.of(argv), new Result(List.of(argv), exit, out, ""));
        }

        @Override
        public Result run(List<String> argv, Duration timeout) {
            calls.add(argv);
            Result r = answers.get(argv);
            if (r == null) {
                throw new AssertionError("unexpected command " + argv);
            }
            return r;
        }
    }

    private final Recording runner = new Recording();

    @Test
    void aScheduledTaskRunsAsSystemEveryNMinutesWithTheCommandLineAsOneArgument() throws Exception {
        WindowsServiceInstaller installer = new WindowsServiceInstaller(runner, null);
        Plan plan = installer.install(COMMAND, Duration.ofMinutes(30));
        assertThat(plan.service()).isEqualTo("schtasks");
        List<String> create = List.of("schtasks", "/create", "/tn", "TimeSync",
                "/tr", "\"\\\"C:\\Program Files\\TimeSync\\bin\\timesync.cmd\\\" sync --mode fast\"",
                "/sc", "minute", "/mo", "30", "/ru", "SYSTEM", "/rl", "HIGHEST", "/f");
        assertThat(plan.steps()).containsExactly(new Plan.RunCommand(create, Duration.ofSeconds(60)));
        runner.answer(0, "SUCCESS: The scheduled task \"TimeSync\" has successfully been created.\r\n", create.toArray(String[]::new));
        installer.apply(plan);
        assertThat(runner.calls).containsExactly(create);
        // 90 s becomes 2 minutes, and the plan says so.
        assertThat(installer.install(COMMAND, Duration.ofSeconds(90)).reason()).contains("every 2m as SYSTEM").contains("rounded up");
    }

    @Test
    void theDaemonRunsUnderNssmRestartedWhenItFailsAndNeedsNssm() throws Exception {
        WindowsServiceInstaller installer = new WindowsServiceInstaller(runner, Path.of(NSSM));
        List<String> daemon = List.of("C:\\Program Files\\TimeSync\\bin\\timesync.cmd", "daemon", "--mode", "ultrafast");
        Plan plan = installer.installDaemon(daemon);
        assertThat(plan.steps()).extracting(s -> ((Plan.RunCommand) s).argv()).containsExactly(
                List.of(NSSM, "install", "TimeSync", "C:\\Program Files\\TimeSync\\bin\\timesync.cmd"),
                List.of(NSSM, "set", "TimeSync", "AppParameters", "\"daemon --mode ultrafast\""),
                List.of(NSSM, "set", "TimeSync", "DisplayName", "TimeSync"),
                List.of(NSSM, "set", "TimeSync", "Description", "\"Keeps the clock right through w32time (TimeSync agent)\""),
                List.of(NSSM, "set", "TimeSync", "Start", "SERVICE_AUTO_START"),
                List.of(NSSM, "set", "TimeSync", "AppExit", "Default", "Restart"),
                List.of(NSSM, "set", "TimeSync", "AppRestartDelay", "10000"),
                List.of(NSSM, "start", "TimeSync"));
        assertThatThrownBy(() -> new WindowsServiceInstaller(runner, null).installDaemon(daemon))
                .hasMessageContaining("needs NSSM");
    }

    @Test
    void nssmInstallsAServiceThatRestartsTheSyncAfterTheInterval() throws Exception {
        WindowsServiceInstaller installer = new WindowsServiceInstaller(runner, Path.of(NSSM));
        List<String> java = List.of("C:\\Program Files\\Java\\jdk-17\\bin\\java.exe", "-jar", "C:\\Program Files\\TimeSync\\lib\\timesync.jar",
                "sync", "--mode", "lazy");
        Plan plan = installer.install(java, Duration.ofMinutes(30));
        assertThat(plan.service()).isEqualTo("nssm");
        assertThat(plan.steps()).extracting(s -> ((Plan.RunCommand) s).argv()).containsExactly(
                List.of(NSSM, "install", "TimeSync", "C:\\Program Files\\Java\\jdk-17\\bin\\java.exe"),
                List.of(NSSM, "set", "TimeSync", "AppParameters", "\"-jar \\\"C:\\Program Files\\TimeSync\\lib\\timesync.jar\\\" sync --mode lazy\""),
                List.of(NSSM, "set", "TimeSync", "DisplayName", "TimeSync"),
                List.of(NSSM, "set", "TimeSync", "Description", "\"Selects time servers and corrects the clock through w32time\""),
                List.of(NSSM, "set", "TimeSync", "Start", "SERVICE_AUTO_START"),
                List.of(NSSM, "set", "TimeSync", "AppExit", "Default", "Restart"),
                List.of(NSSM, "set", "TimeSync", "AppRestartDelay", "1800000"),
                List.of(NSSM, "start", "TimeSync"));
    }

    @Test
    void aFailedNssmInstallRemovesTheServiceAgain() {
        WindowsServiceInstaller installer = new WindowsServiceInstaller(runner, Path.of(NSSM));
        Plan plan = installer.install(List.of("C:\\TimeSync\\bin\\timesync.cmd", "sync"), Duration.ofMinutes(1));
        for (Plan.Step step : plan.steps()) {
            runner.answer(0, "", ((Plan.RunCommand) step).argv().toArray(String[]::new));
        }
        runner.answer(1, "StartService(): Access is denied.\r\n", NSSM, "start", "TimeSync");
        runner.answer(0, "Service \"TimeSync\" removed successfully!\r\n", NSSM, "remove", "TimeSync", "confirm");
        assertThatThrownBy(() -> installer.apply(plan)).isInstanceOfSatisfying(CommandFailure.class, f -> {
            assertThat(f.accessDenied()).isTrue();
            assertThat(f.getMessage()).contains("nssm.exe start TimeSync failed (exit 1): StartService(): Access is denied.");
        });
        assertThat(runner.calls.get(runner.calls.size() - 1)).containsExactly(NSSM, "remove", "TimeSync", "confirm");
    }

    @Test
    void uninstallRemovesWhicheverIsInstalled() throws Exception {
        runner.answer(0, "TaskName  Next Run Time  Status\r\nTimeSync  11/22/2026 8:00:00 AM  Ready\r\n", "schtasks", "/query", "/tn", "TimeSync");
        runner.answer(1060, "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n",
                "sc", "query", "TimeSync");
        Plan task = new WindowsServiceInstaller(runner, null).uninstall();
        assertThat(task.service()).isEqualTo("schtasks");
        assertThat(task.steps()).extracting(s -> ((Plan.RunCommand) s).argv())
                .containsExactly(List.of("schtasks", "/delete", "/tn", "TimeSync", "/f"));

        runner.answer(1, "ERROR: The system cannot find the file specified.\r\n", "schtasks", "/query", "/tn", "TimeSync");
        runner.answer(0, "SERVICE_NAME: TimeSync\r\n        TYPE               : 10  WIN32_OWN_PROCESS\r\n"
                + "        STATE              : 4  RUNNING\r\n", "sc", "query", "TimeSync");
        assertThat(new WindowsServiceInstaller(runner, Path.of(NSSM)).uninstall().steps()).extracting(s -> ((Plan.RunCommand) s).argv())
                .containsExactly(List.of(NSSM, "stop", "TimeSync"), List.of(NSSM, "remove", "TimeSync", "confirm"));
        assertThat(new WindowsServiceInstaller(runner, null).uninstall().steps()).extracting(s -> ((Plan.RunCommand) s).argv())
                .containsExactly(List.of("sc", "stop", "TimeSync"), List.of("sc", "delete", "TimeSync"));

        runner.answer(1060, "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n", "sc", "query", "TimeSync");
        Plan nothing = new WindowsServiceInstaller(runner, null).uninstall();
        assertThat(nothing.steps()).isEmpty();
        assertThat(nothing.reason()).contains("nothing to remove");
    }

    @Test
    void badCommandsAndIntervalsAreRefusedBeforeAnythingRuns() {
        WindowsServiceInstaller tasks = new WindowsServiceInstaller(runner, null);
        assertThatIllegalArgumentException().isThrownBy(() -> tasks.install(List.of("timesync.cmd", "sync"), Duration.ofMinutes(1)))
                .withMessageContaining("absolute path");
        assertThatIllegalArgumentException().isThrownBy(() -> tasks.install(COMMAND, Duration.ofDays(2))).withMessageContaining("1439");
        String deep = "C:\\" + "very long folder name\\".repeat(12) + "timesync.cmd";
        assertThatIllegalArgumentException().isThrownBy(() -> tasks.install(List.of(deep, "sync"), Duration.ofMinutes(1)))
                .withMessageContaining("at most 261");
        assertThatIllegalArgumentException().isThrownBy(() -> tasks.install(List.of("C:\\t.cmd", "sync\r\ncalc"), Duration.ofMinutes(1)))
                .withMessageContaining("cannot be an argument");
        assertThatIllegalArgumentException().isThrownBy(() -> new WindowsServiceInstaller(runner, Path.of(NSSM))
                .install(COMMAND, Duration.ofSeconds(5))).withMessageContaining("10s to 1 day");
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void nssmIsFoundWhereAskedOrOnThePath(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("nssm dir"));
        Path exe = Files.writeString(bin.resolve("nssm.exe"), "");
        assertThat(WindowsServiceInstaller.findNssm(null, Map.of("PATH", dir + java.io.File.pathSeparator + bin))).hasValue(exe);
        assertThat(WindowsServiceInstaller.findNssm(null, Map.of("PATH", dir.toString()))).isEmpty();
        assertThat(WindowsServiceInstaller.findNssm(exe, Map.of())).hasValue(exe.toAbsolutePath());
        assertThatThrownBy(() -> WindowsServiceInstaller.findNssm(dir.resolve("none.exe"), Map.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void commandLinesQuoteByWindowsRules() {
        assertThat(WindowsCommandLine.quote("sync")).isEqualTo("sync");
        assertThat(WindowsCommandLine.quote("C:\\Program Files\\x.cmd")).isEqualTo("\"C:\\Program Files\\x.cmd\"");
        assertThat(WindowsCommandLine.quote("C:\\dir with space\\")).isEqualTo("\"C:\\dir with space\\\\\"");
        assertThat(WindowsCommandLine.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(WindowsCommandLine.quote("a\\\"b")).isEqualTo("\"a\\\\\\\"b\"");
        assertThat(WindowsCommandLine.join(List.of("C:\\a b\\t.cmd", "sync", "--mode", "fast"))).isEqualTo("\"C:\\a b\\t.cmd\" sync --mode fast");
        assertThatIllegalArgumentException().isThrownBy(() -> WindowsCommandLine.quote(""));
        assertThat(WindowsServiceInstaller.isAbsoluteWindowsPath("D:/x")).isTrue();
        assertThat(WindowsServiceInstaller.isAbsoluteWindowsPath("\\\\server\\share\\t.cmd")).isTrue();
        assertThat(WindowsServiceInstaller.isAbsoluteWindowsPath("/usr/bin/java")).isFalse();
    }
}
