package io.timesync.cli;

import io.timesync.app.Machine;
import io.timesync.app.Platforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code timesync service} on a copy of a system, with the real systemd-analyze and systemctl. */
class ServiceCommandTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path root;

    @Test
    void installAndUninstallWithSystemd() throws Exception {
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        CliRun dry = CliRun.of("service", "install", "--root", root.toString(), "--exec", JAVA, "--mode", "lazy", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("Plan (systemd):").contains("ExecStart=" + JAVA + " sync --mode lazy")
                .contains("OnUnitInactiveSec=1800s").contains("run systemd-analyze verify --man=no")
                .contains("Dry run: nothing changed.");
        assertThat(units.resolve("timesync.service")).doesNotExist();

        CliRun install = CliRun.of("service", "install", "--root", root.toString(), "--exec", JAVA, "--interval", "5m");
        assertThat(install.exitCode()).as(install.err()).isZero();
        assertThat(install.out()).contains("Done: installed (systemd).");
        assertThat(units.resolve("timesync.timer")).content().contains("OnUnitInactiveSec=300s");
        assertThat(Files.isSymbolicLink(units.resolve("timers.target.wants/timesync.timer"))).isTrue();

        CliRun uninstall = CliRun.of("service", "uninstall", "--root", root.toString());
        assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
        assertThat(units.resolve("timesync.timer")).doesNotExist();
        assertThat(units.resolve("timers.target.wants/timesync.timer")).doesNotExist();
    }

    @Test
    void ultrafastInstallsTheDaemonAsAServiceEnabledAtBootAndReplacesTheTimer() throws Exception {
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        assertThat(CliRun.of("service", "install", "--root", root.toString(), "--exec", JAVA).exitCode()).isZero();
        assertThat(units.resolve("timesync.timer")).exists();

        CliRun install = CliRun.of("service", "install", "--root", root.toString(), "--exec", JAVA, "--mode", "ultrafast");
        assertThat(install.exitCode()).as(install.err()).isZero();
        assertThat(units.resolve("timesync.service")).content().contains("ExecStart=" + JAVA + " daemon --mode ultrafast")
                .contains("Restart=on-failure").contains("SuccessExitStatus=143").contains("WantedBy=multi-user.target");
        assertThat(units.resolve("timesync.timer")).doesNotExist();
        assertThat(units.resolve("timers.target.wants/timesync.timer")).doesNotExist();
        assertThat(Files.isSymbolicLink(units.resolve("timers.target.wants/timesync.timer"))).isFalse();
        assertThat(Files.isSymbolicLink(units.resolve("multi-user.target.wants/timesync.service"))).isTrue();

        CliRun uninstall = CliRun.of("service", "uninstall", "--root", root.toString());
        assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
        assertThat(uninstall.out()).contains("disable timesync.service");
        assertThat(units.resolve("timesync.service")).doesNotExist();
        assertThat(units.resolve("multi-user.target.wants/timesync.service")).doesNotExist();
    }

    @Test
    void cronCannotSuperviseADaemon() throws Exception {
        Files.createDirectories(root.resolve("etc/cron.d"));
        CliRun run = CliRun.of("service", "install", "--root", root.toString(), "--exec", JAVA, "--daemon");
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(run.err()).contains("cron cannot keep a daemon running");
        assertThat(root.resolve("etc/cron.d/timesync")).doesNotExist();
    }

    @Test
    void aRejectedUnitExits71AndLeavesNothing() throws Exception {
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        CliRun run = CliRun.of("service", "install", "--root", root.toString(), "--exec", "/nonexistent/timesync");
        assertThat(run.exitCode()).isEqualTo(ExitCode.CORRECTION_FAILED);
        assertThat(run.err()).contains("is not executable").contains("nothing was left behind");
        assertThat(units.resolve("timesync.service")).doesNotExist();
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        Files.createDirectories(root.resolve("etc/systemd/system"));
        CliRun ultrafast = CliRun.of("service", "install", "--root", root.toString(), "--exec", JAVA, "--mode", "ultrafast",
                "--interval", "1m");
        assertThat(ultrafast.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(ultrafast.err()).contains("--interval is for periodic runs");
        CliRun spaces = CliRun.of("service", "install", "--root", root.toString(), "--exec", "/opt/time sync/bin/timesync");
        assertThat(spaces.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(spaces.err()).contains("cannot go into a service file");
        CliRun interval = CliRun.of("service", "install", "--root", root.toString(), "--exec", JAVA, "--interval", "1s");
        assertThat(interval.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(interval.err()).contains("from 10s to 1 day");
        assertThat(CliRun.of("service").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void installWithoutRootExits77AndInstallsNothing() throws Exception {
        CliRun run = CliRun.asNobody("service", "install", "--exec", JAVA, "--mode", "lazy");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.PERMISSION);
        assertThat(run.out()).contains("needs root").contains("--dry-run");
        assertThat(Path.of("/etc/systemd/system/timesync.timer")).doesNotExist();
        assertThat(Path.of("/etc/cron.d/timesync")).doesNotExist();
    }

    @Test
    void noSchedulerIsExit69() {
        CliRun run = CliRun.of("service", "install", "--root", root.toString(), "--exec", JAVA);
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SERVER);
        assertThat(run.err()).contains("no scheduler found");
    }

    @Test
    void theLauncherThatStartedTheRunIsWhatTheUnitRuns(@TempDir Path dir) throws Exception {
        Path launcher = Files.writeString(dir.resolve("timesync"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        io.timesync.platform.AgentInstaller installer = Platforms.forName("linux").installer(Machine.running().host(false), root, null);
        assertThat(installer.launcher(null, null, java.util.Map.of("TIMESYNC_LAUNCHER", launcher.toString())))
                .containsExactly(launcher.toString());
        assertThat(installer.launcher(Path.of("/opt/ts/bin/timesync"), null,
                java.util.Map.of("TIMESYNC_LAUNCHER", launcher.toString()))).containsExactly("/opt/ts/bin/timesync");
        // A relative launcher is not trusted: this JVM and its jar, and without a jar an error naming --exec.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> installer.launcher(null, null,
                java.util.Map.of("TIMESYNC_LAUNCHER", "timesync"))).hasMessageContaining("--exec");
    }
}
