package io.timesync.unix.service;

import io.timesync.correct.CommandRunner;
import io.timesync.correct.Plan;
import io.timesync.correct.ProcessCommandRunner;
import io.timesync.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Service files, and installing them in a copy of a system with the real systemd-analyze and systemctl. */
class ServiceInstallerTest {

    private static final List<String> COMMAND = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", "/opt/timesync/timesync.jar", "sync", "--mode", "fast");

    @TempDir
    Path root;

    @Test
    void systemdServiceAndTimerAreExact() {
        assertThat(ServiceFiles.systemdService(List.of("/usr/bin/timesync", "sync", "--mode", "lazy"))).isEqualTo("""
                # Installed by TimeSync ('timesync service uninstall' removes it).
                [Unit]
                Description=TimeSync: select time servers and correct the clock through the time service
                Wants=network-online.target
                After=network-online.target chrony.service ntpsec.service ntp.service systemd-timesyncd.service

                [Service]
                Type=oneshot
                ExecStart=/usr/bin/timesync sync --mode lazy
                Nice=5
                StateDirectory=timesync
                LogsDirectory=timesync
                CacheDirectory=timesync
                Environment=TIMESYNC_CACHE_DIR=%C/timesync
                UMask=0022
                ProtectSystem=strict
                ReadWritePaths=-/etc/chrony -/etc/chrony.d -/etc/ntpsec -/etc/systemd/timesyncd.conf.d -/run/chrony -/run/chrony-dhcp
                ProtectHome=yes
                PrivateTmp=yes
                PrivateDevices=yes
                PrivateMounts=yes
                PrivateIPC=yes
                NoNewPrivileges=yes
                CapabilityBoundingSet=CAP_CHOWN CAP_FOWNER CAP_DAC_OVERRIDE
                ProtectClock=yes
                ProtectKernelTunables=yes
                ProtectKernelModules=yes
                ProtectKernelLogs=yes
                ProtectControlGroups=yes
                ProtectHostname=yes
                ProtectProc=invisible
                RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
                RestrictNamespaces=yes
                RestrictRealtime=yes
                RestrictSUIDSGID=yes
                LockPersonality=yes
                KeyringMode=private
                DevicePolicy=closed
                SystemCallArchitectures=native
                SystemCallFilter=@system-service
                SystemCallFilter=~@clock @cpu-emulation @debug @module @mount @obsolete @raw-io @reboot @swap
                SystemCallErrorNumber=EPERM

                """);
        assertThat(ServiceFiles.systemdTimer(Duration.ofMinutes(30))).contains("OnUnitInactiveSec=1800s\n")
                .contains("RandomizedDelaySec=1800s\n").contains("OnBootSec=60s\n").contains("WantedBy=timers.target\n");
        assertThat(ServiceFiles.systemdTimer(Duration.ofSeconds(60))).contains("RandomizedDelaySec=60s\n");
    }

    @Test
    void bothServicesAreConfinedToAnExposureOfAtMostFourAsSystemdRatesIt() throws Exception {
        Path analyze = RequiredTool.find("TIMESYNC_SYSTEMD_ANALYZE", "systemd-analyze", "apt-get install systemd");
        Path units = Files.createDirectories(root.resolve("units"));
        Files.writeString(units.resolve("timesync.service"), ServiceFiles.systemdService(List.of("/usr/bin/timesync", "sync")));
        Files.writeString(units.resolve("timesync-agent.service"), ServiceFiles.systemdDaemon(List.of("/usr/bin/timesync", "daemon")));
        for (String unit : List.of("timesync.service", "timesync-agent.service")) {
            CommandRunner.Result rated = new ProcessCommandRunner().run(List.of(analyze.toString(), "security", "--offline=true",
                    "--no-pager", units.resolve(unit).toString()), Duration.ofSeconds(60));
            Matcher level = Pattern.compile("Overall exposure level for " + Pattern.quote(unit) + ": ([0-9.]+)")
                    .matcher(rated.stdout());
            assertThat(level.find()).as(rated.stdout() + rated.stderr()).isTrue();
            assertThat(Double.parseDouble(level.group(1))).as(unit + "\n" + rated.stdout()).isLessThanOrEqualTo(4.0);
        }
    }

    @Test
    void aTimeServiceWhoseConfigurationLiesDirectlyInEtcMakesEtcWritable() throws Exception {
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        assertThat(installer.extraWritable()).isEmpty();
        Files.createDirectories(root.resolve("etc/chrony"));
        Files.writeString(root.resolve("etc/chrony/chrony.conf"), "pool 2.debian.pool.ntp.org iburst\n");
        assertThat(installer.extraWritable()).isEmpty();
        Files.writeString(root.resolve("etc/chrony.conf"), "pool 2.fedora.pool.ntp.org iburst\n");
        Files.delete(root.resolve("etc/chrony/chrony.conf"));
        assertThat(installer.extraWritable()).containsExactly("/etc");
        assertThat(ServiceFiles.systemdService(List.of("/usr/bin/timesync", "sync"), ServiceFiles.INSTALLED, List.of("/etc")))
                .contains("\nReadWritePaths=-/etc/chrony -/etc/chrony.d -/etc/ntpsec -/etc/systemd/timesyncd.conf.d"
                        + " -/run/chrony -/run/chrony-dhcp -/etc\n");
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceFiles.systemdDaemon(List.of("/usr/bin/timesync"),
                ServiceFiles.INSTALLED, List.of("/etc/a b")));
    }

    @Test
    void aSchedulerDirectoryLinkedOutOfTheRootIsRefusedAndNothingIsWrittenThere(@TempDir Path elsewhere) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/cron.d"), elsewhere);
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        assertThatThrownBy(() -> installer.install(COMMAND, Duration.ofMinutes(30), 7))
                .isInstanceOf(io.timesync.unix.host.OutsideRootException.class)
                .hasMessageContaining("/etc/cron.d leads to " + elsewhere).hasMessageContaining("outside the root " + root);
        try (var written = Files.list(elsewhere)) {
            assertThat(written).isEmpty();
        }
    }

    @Test
    void cronEntriesSpreadAcrossTheHour() {
        assertThat(ServiceFiles.cronEntry(List.of("/usr/bin/timesync", "sync"), Duration.ofMinutes(30), 7))
                .endsWith("7,37 * * * * root /usr/bin/timesync sync\n").contains("PATH=/usr/sbin:/usr/bin:/sbin:/bin\n");
        // Every minute would poll public servers faster than every 64 s: raised to every 2 minutes.
        assertThat(ServiceFiles.cronEntry(List.of("/usr/bin/timesync", "sync"), Duration.ofSeconds(60), 7))
                .endsWith("\n1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39,41,43,45,47,49,51,53,55,57,59 * * * * root"
                        + " /usr/bin/timesync sync\n");
        assertThat(ServiceFiles.cronEntry(List.of("/usr/bin/timesync", "sync"), Duration.ofSeconds(30), 0))
                .contains("\n0,2,4,6,");
        assertThat(ServiceFiles.cronEntry(List.of("/usr/bin/timesync"), Duration.ofMinutes(15), 20))
                .endsWith("5,20,35,50 * * * * root /usr/bin/timesync\n");
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceFiles.cronEntry(List.of("/t"), Duration.ofMinutes(7), 0))
                .withMessageContaining("divides an hour");
    }

    @Test
    void launchdPlistCarriesTheArgumentsOneByOne() throws Exception {
        Map<String, Object> plist = Plist.parse(ServiceFiles.launchdPlist(List.of("/usr/local/bin/timesync", "sync"),
                Duration.ofMinutes(30)), root);
        assertThat(plist).containsExactlyInAnyOrderEntriesOf(Map.of("Label", "io.timesync.sync",
                "ProgramArguments", List.of("/usr/local/bin/timesync", "sync"), "StartInterval", 1800, "RunAtLoad", true));
    }

    @Test
    void launchdDaemonPlistKeepsTheDaemonAlive() throws Exception {
        Map<String, Object> plist = Plist.parse(ServiceFiles.launchdDaemonPlist(List.of("/usr/local/bin/timesync",
                "daemon", "--mode", "ultrafast")), root);
        assertThat(plist).containsExactlyInAnyOrderEntriesOf(Map.of("Label", "io.timesync.sync",
                "ProgramArguments", List.of("/usr/local/bin/timesync", "daemon", "--mode", "ultrafast"),
                "KeepAlive", true, "RunAtLoad", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/java", "/opt/time sync/java", "/opt/x;rm", "/opt/$(id)", "/opt/`id`", "/opt/a\nb",
        "/opt/\"q\""})
    void commandsThatWouldReadDifferentlyAreRefused(String program) {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceFiles.checkCommand(List.of(program, "sync")));
    }

    @Test
    void installsVerifiesAndEnablesWithSystemdThenUninstalls() throws Exception {
        requireSystemdTools();
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        Plan plan = installer.install(COMMAND, Duration.ofSeconds(60), 0);
        assertThat(plan.service()).isEqualTo("systemd");
        assertThat(plan.steps()).hasSize(4);
        assertThat(((Plan.RunCommand) plan.steps().get(2)).argv()).containsExactly("systemd-analyze", "verify",
                "--man=no", units.resolve("timesync.service").toString(), units.resolve("timesync.timer").toString());
        assertThat(((Plan.RunCommand) plan.steps().get(3)).argv()).containsExactly("systemctl", "--root=" + root,
                "enable", "timesync.timer");

        installer.apply(plan);
        assertThat(units.resolve("timesync.service")).content().contains("ExecStart=" + String.join(" ", COMMAND));
        assertThat(Files.isSymbolicLink(units.resolve("timers.target.wants/timesync.timer"))).isTrue();

        installer.apply(installer.uninstall());
        assertThat(units.resolve("timesync.service")).doesNotExist();
        assertThat(units.resolve("timesync.timer")).doesNotExist();
        assertThat(units.resolve("timers.target.wants/timesync.timer")).doesNotExist();
    }

    @Test
    void aUnitThatSystemdRejectsIsRemovedAgain() throws Exception {
        requireSystemdTools();
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        Plan plan = installer.install(List.of("/nonexistent/timesync", "sync"), Duration.ofSeconds(60), 0);
        assertThatThrownBy(() -> installer.apply(plan)).isInstanceOf(IOException.class)
                .hasMessageContaining("systemd-analyze verify").hasMessageContaining("is not executable");
        assertThat(units.resolve("timesync.service")).doesNotExist();
        assertThat(units.resolve("timesync.timer")).doesNotExist();
    }

    // Without systemd these tests cannot run: a machine without it skips them, CI fails.
    private static void requireSystemdTools() {
        RequiredTool.find("TIMESYNC_SYSTEMD_ANALYZE", "systemd-analyze", "apt-get install systemd");
        RequiredTool.find("TIMESYNC_SYSTEMCTL", "systemctl", "apt-get install systemd");
    }

    @Test
    void cronWhereThereIsNoSystemd() throws Exception {
        Files.createDirectories(root.resolve("etc/cron.d"));
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        Plan plan = installer.install(COMMAND, Duration.ofMinutes(30), 11);
        assertThat(plan.service()).isEqualTo("cron");
        installer.apply(plan);
        assertThat(root.resolve("etc/cron.d/timesync")).content().endsWith("11,41 * * * * root " + String.join(" ", COMMAND) + "\n");
        installer.apply(installer.uninstall());
        assertThat(root.resolve("etc/cron.d/timesync")).doesNotExist();
    }

    @Test
    void cronWhereSystemdIsInstalledButIsNotPid1() throws Exception {
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.createDirectories(root.resolve("etc/cron.d"));
        Files.createDirectories(root.resolve("proc/1"));
        Files.writeString(root.resolve("proc/1/comm"), "bash\n");
        Plan plan = new ServiceInstaller(root, new ProcessCommandRunner()).install(COMMAND, Duration.ofMinutes(30), 11);
        assertThat(plan.service()).isEqualTo("cron");
        assertThat(plan.steps()).noneMatch(step -> step instanceof Plan.RunCommand);
    }

    @Test
    void launchdOnMacOs() throws Exception {
        Files.createDirectories(root.resolve("Library/LaunchDaemons"));
        ServiceInstaller installer = new ServiceInstaller(root, new ProcessCommandRunner());
        Plan plan = installer.install(COMMAND, Duration.ofMinutes(30), 0);
        assertThat(plan.steps()).singleElement().isInstanceOf(Plan.WriteFile.class);
        installer.apply(plan);
        Map<String, Object> plist = Plist.read(root.resolve("Library/LaunchDaemons/io.timesync.sync.plist"));
        assertThat(plist).containsEntry("Label", "io.timesync.sync").containsEntry("ProgramArguments", COMMAND)
                .containsEntry("StartInterval", 1800).containsEntry("RunAtLoad", true);
    }

    @Test
    void noSchedulerIsAClearError() {
        assertThatThrownBy(() -> new ServiceInstaller(root, new ProcessCommandRunner()).install(COMMAND, Duration.ofMinutes(1), 0))
                .isInstanceOf(IOException.class).hasMessageContaining("no scheduler found under " + root);
    }
}
